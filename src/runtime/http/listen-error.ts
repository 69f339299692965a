import { OperatorTsError } from '../../errors.js';
import { formatBindAddress, type BindAddress } from './bind-address.js';

/** Where a listener's address came from, so a failure can name the setting to change. */
export interface ListenerSetting {
  /** The manager flag, e.g. '--health-probe-bind-address'. */
  flag: string;
  /** The ManagerOptions field that the flag fills, e.g. 'healthProbeBindAddress'. */
  option: string;
  /** What to do instead, when the flag and option are not a bind address that '0' turns off. */
  hint?: string;
}

/** An HTTP server of the manager could not bind its address (port in use, no permission, unknown host). */
export class ListenError extends OperatorTsError {
  constructor(server: string, bind: BindAddress, setting: ListenerSetting, cause: unknown) {
    const address = formatBindAddress(bind);
    const reason = cause instanceof Error ? cause.message : String(cause);
    const other = bind.port > 0 && bind.port < 65535 ? formatBindAddress({ host: bind.host, port: bind.port + 1 }) : '127.0.0.1:0';
    super('ELISTEN', `${server} could not listen on ${address} (set by ${setting.flag}): ${reason}`, {
      hint: setting.hint ?? `pick another address with ${setting.flag} (ManagerOptions.${setting.option}), e.g. ${setting.flag}=${other}, or ${setting.flag}=0 to turn the server off; or stop the process using ${address}`,
      cause,
    });
  }
}
