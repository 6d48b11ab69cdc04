/** Broker topic names. App ids cannot hold '/', so the separator is unambiguous. */
export const presenceTopic = (app: string, uid: string): string => `presence/${app}/${uid}`;
export const nodeTopic = (node: string): string => `node/${node}`;
export const channelTopic = (app: string, channel: string): string => `channel/${app}/${channel}`;
export const userMetadataTopic = (app: string, uid: string): string => `umeta/${app}/${uid}`;
