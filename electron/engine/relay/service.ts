/**
 * Running the relay as a service. Linux: a systemd unit (systemd.service(5), systemd.exec(5)); the
 * Microsoft secret comes from an EnvironmentFile readable by root only, never from the unit or argv.
 */
export function systemdUnit(o: { node: string; cli: string; profile: string; config: string; user: string; spool: string; envFile: string }): string {
  const q = (s: string) => (/^[A-Za-z0-9_./:@+-]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`);
  return `# mail-oauth relay: SMTP relay for devices that cannot do OAuth (written by mail-oauth relay --install)
# Install:  sudo cp mail-oauth-relay.service /etc/systemd/system/ && sudo systemctl daemon-reload
#           sudo systemctl enable --now mail-oauth-relay
# Secret:   ${o.envFile} (mode 600, owner root) holds the line MAIL_OAUTH_SECRET=<client secret Value>
#           (the variable the profile names), or the profile uses a certificate instead.
[Unit]
Description=Mail OAuth relay (SMTP for devices that cannot do OAuth, sent on to Microsoft 365 with XOAUTH2)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${o.user}
EnvironmentFile=${q(o.envFile)}
ExecStart=${q(o.node)} ${q(o.cli)} relay ${q(o.profile)} --config ${q(o.config)}
Restart=always
RestartSec=5
# The spool is the only place the relay writes.
ReadWritePaths=${q(o.spool)}
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
UMask=0077

[Install]
WantedBy=multi-user.target
`;
}

export function windowsServiceText(o: { node: string; cli: string; profile: string; config: string }): string {
  return `Windows has no built-in way to run a Node program as a service. Two ways that work:

1. Task Scheduler (built in): a task "At startup", "Run whether user is logged on or not", with
     Program:   ${o.node}
     Arguments: "${o.cli}" relay "${o.profile}" --config "${o.config}"
   and on the Settings tab "If the task fails, restart every 1 minute". Set the secret's environment
   variable (the name the profile gives, e.g. MAIL_OAUTH_SECRET) as a system variable readable by the
   task's account only, or use a certificate in the profile instead.
2. A service wrapper such as WinSW or NSSM (third-party): the same program and arguments, restart on
   failure, the variable in the wrapper's environment settings.

Then check it with: mail-oauth relay status --config "${o.config}"
`;
}
