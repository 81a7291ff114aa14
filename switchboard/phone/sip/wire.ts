// How SIP messages travel between the bridge and its server: datagrams (UDP, datagram-wire.ts) or one
// stream connection (TCP, TLS: stream-wire.ts). The endpoint (endpoint.ts) speaks only this.

export type TransportName = 'udp' | 'tcp' | 'tls';

/** A message in: its text, where it came from, and how to answer it (the same way it came). */
export type Receive = (
  text: string,
  from: { address: string; port: number },
  reply: (text: string) => void,
) => void;

export interface Wire {
  /** for Via: UDP, TCP, TLS */
  readonly via: 'UDP' | 'TCP' | 'TLS';
  /** a stream delivers or fails: no retransmissions (RFC 3261 §17.1.2.2, timer E on UDP only) */
  readonly reliable: boolean;
  /** our address as the server sees it: a stream's changes with each connection */
  local(): { host: string; port: number };
  /** ready to send: a stream connects (again) here, and fails when the server cannot be reached */
  ready(): Promise<void>;
  send(text: string): void;
  close(): Promise<void>;
}
