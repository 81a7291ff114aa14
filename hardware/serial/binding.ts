// serialport's binding interface, reached through @serialport/stream: @serialport/bindings-interface
// publishes its types for require only, which NodeNext ESM cannot see.
import type { OpenOptions as StreamOpenOptions } from '@serialport/stream';

/** How a serial port is reached: the operating system's binding, or a test's wire to an emulator. */
export type SerialBinding = StreamOpenOptions['binding'];
export type SerialBindingPort = Awaited<ReturnType<SerialBinding['open']>>;
export type SerialOpenOptions = Parameters<SerialBinding['open']>[0];
export type SerialPortInfo = Awaited<ReturnType<SerialBinding['list']>>[number];
export type SerialPortStatus = Awaited<ReturnType<SerialBindingPort['get']>>;
