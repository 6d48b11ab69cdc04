// Minimal typings for the reference implementations' internal modules used by the tests.
// (The packages' entry points ship their own index.d.ts.)

declare module 'agora-access-token/src/AccessToken.js' {
  export class AccessToken {
    constructor(appID: string, appCertificate: string, channelName: string, uid: string | number);
    salt: number;
    ts: number;
    messages: Record<number, number>;
    signature?: Buffer;
    crc_channel_name?: number;
    crc_uid?: number;
    addPriviledge(privilege: number, expireTimestamp: number): void;
    build(): string;
    fromString(token: string): boolean;
  }
  export const priviledges: { readonly kRtmLogin: number; readonly kJoinChannel: number };
  export const version: string;
}

declare module 'agora-access-token/src/SignalingToken.js' {
  const SignalingToken: {
    get(appId: string, appCertificate: string, account: string, validTimeInSeconds: number): string;
    get1DayToken(appId: string, appCertificate: string, account: string): string;
  };
  export default SignalingToken;
}

declare module 'agora-token/src/AccessToken2.js' {
  export class Service {
    constructor(serviceType: number);
    service_type(): number;
    add_privilege(privilege: number, expire: number): void;
  }
  export class ServiceRtm extends Service {
    constructor(userId: string);
    static readonly kPrivilegeLogin: number;
    __user_id: Buffer | string;
    __privileges: Record<number, number>;
  }
  export class ServiceRtc extends Service {
    constructor(channelName: string, uid: string | number);
    static readonly kPrivilegeJoinChannel: number;
  }
  export class AccessToken2 {
    constructor(appId: string, appCertificate: string, issueTs: number | null, expire: number);
    /** A string when built, a Buffer after from_string. */
    appId: string | Buffer;
    issueTs: number;
    expire: number;
    salt: number;
    add_service(service: Service): void;
    getServices(serviceType: number): Service[];
    build(): string;
    from_string(token: string): boolean;
    verifySignature(appCertificate: string): boolean;
  }
  export const kRtcServiceType: number;
  export const kRtmServiceType: number;
  export const kRtm2ServiceType: number;
}
