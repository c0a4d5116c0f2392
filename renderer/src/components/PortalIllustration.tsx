/**
 * The portal screens as drawings made from this connection's data (illustration-data.ts): the real
 * app name, the account type chosen, the permissions with their type, the organisation. Text is at
 * least 13 px at the drawing's natural size; a click opens it full size (issue 14 item 4).
 */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ZoomIn16Regular } from '@fluentui/react-icons/svg/zoom-in';
import { useState, type ReactNode } from 'react';
import type { IllustrationData } from '../illustration-data';

const W = 640;
const BLUE = '#0f6cbd';
const INK = '#242424';
const MUTED = '#4f4f4f';
const MARK = '#c50f1f';

const useStyles = makeStyles({
  thumb: {
    display: 'block',
    width: '100%',
    maxWidth: `${W}px`,
    padding: 0,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: '#ffffff',
    cursor: 'zoom-in',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' },
  },
  svg: { display: 'block', width: '100%', height: 'auto' },
  caption: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, marginTop: tokens.spacingVerticalXXS },
  surface: { maxWidth: 'min(1100px, 96vw)', width: 'min(1100px, 96vw)' },
});

/** Splits text into lines of at most `max` characters, at spaces (or after / . ? in long URIs). */
export function wrapText(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= max) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    while (line.length > max) {
      const cut = Math.max(line.lastIndexOf('/', max), line.lastIndexOf('.', max), line.lastIndexOf('?', max));
      const at = cut > 0 ? cut + 1 : max;
      lines.push(line.slice(0, at));
      line = line.slice(at);
    }
  }
  if (line) lines.push(line);
  return lines;
}

function T(props: { x: number; y: number; children: string; size?: number; weight?: number; fill?: string; max?: number; lh?: number }) {
  const size = props.size ?? 14;
  const lines = props.max ? wrapText(props.children, props.max) : [props.children];
  return (
    <text x={props.x} y={props.y} fontSize={size} fontWeight={props.weight ?? 400} fill={props.fill ?? INK}>
      {lines.map((l, i) => (
        <tspan key={i} x={props.x} dy={i === 0 ? 0 : (props.lh ?? size * 1.3)}>
          {l}
        </tspan>
      ))}
    </text>
  );
}

const lineCount = (text: string, max: number) => wrapText(text, max).length;

/** A red "look here" outline. */
function Mark(props: { x: number; y: number; w: number; h: number }) {
  return <rect x={props.x} y={props.y} width={props.w} height={props.h} rx={4} fill="none" stroke={MARK} strokeWidth={2.5} />;
}

function Frame(props: { title: string; crumb: string; height: number; children: ReactNode; admin?: boolean }) {
  return (
    <>
      <rect width={W} height={props.height} rx={6} fill="#ffffff" stroke="#d1d1d1" />
      <rect width={W} height={34} rx={6} fill={BLUE} />
      <rect y={28} width={W} height={6} fill={BLUE} />
      <T x={14} y={22} size={14} weight={600} fill="#ffffff">
        {props.admin ? 'Microsoft 365 admin center' : 'Microsoft Entra admin center'}
      </T>
      <T x={14} y={56} size={13} fill={MUTED}>
        {props.crumb}
      </T>
      <T x={14} y={80} size={17} weight={600}>
        {props.title}
      </T>
      {props.children}
    </>
  );
}

function Box(props: { x: number; y: number; w: number; label: string; value: string; mono?: boolean; mark?: boolean }) {
  return (
    <g>
      <T x={props.x} y={props.y} size={13} weight={600}>
        {props.label}
      </T>
      <rect x={props.x} y={props.y + 6} width={props.w} height={26} rx={3} fill="#ffffff" stroke="#8a8a8a" />
      <text x={props.x + 8} y={props.y + 24} fontSize={13} fill={INK} fontFamily={props.mono ? 'Consolas, monospace' : undefined}>
        {props.value.length > Math.floor(props.w / 7.4) ? `${props.value.slice(0, Math.floor(props.w / 7.4) - 1)}…` : props.value}
      </text>
      {props.mark && <Mark x={props.x - 4} y={props.y + 2} w={props.w + 8} h={34} />}
    </g>
  );
}

function Check(props: { x: number; y: number; on: boolean; label: string; mark?: boolean; radio?: boolean; max?: number }) {
  const lines = props.max ? lineCount(props.label, props.max) : 1;
  return (
    <g>
      {props.radio ? (
        <>
          <circle cx={props.x + 8} cy={props.y - 5} r={7} fill="#ffffff" stroke={props.on ? BLUE : '#616161'} strokeWidth={1.5} />
          {props.on && <circle cx={props.x + 8} cy={props.y - 5} r={3.5} fill={BLUE} />}
        </>
      ) : (
        <>
          <rect x={props.x + 1} y={props.y - 12} width={14} height={14} rx={2} fill={props.on ? BLUE : '#ffffff'} stroke={props.on ? BLUE : '#616161'} />
          {props.on && <path d={`M${props.x + 4} ${props.y - 5} l3 3 l6 -7`} stroke="#ffffff" strokeWidth={2} fill="none" />}
        </>
      )}
      <T x={props.x + 24} y={props.y} size={13} weight={props.on ? 600 : 400} max={props.max}>
        {props.label}
      </T>
      {props.mark && <Mark x={props.x - 6} y={props.y - 18} w={W - props.x - 16} h={lines * 17 + 10} />}
    </g>
  );
}

function Table(props: { x: number; y: number; w: number; cols: { label: string; w: number }[]; rows: string[][]; markCol?: number }) {
  const rowH = 26;
  return (
    <g>
      <rect x={props.x} y={props.y} width={props.w} height={rowH} fill="#f0f0f0" />
      {props.cols.reduce<{ x: number; nodes: ReactNode[] }>(
        (acc, c, i) => {
          acc.nodes.push(
            <T key={`h${i}`} x={acc.x + 8} y={props.y + 18} size={13} weight={600}>
              {c.label}
            </T>,
          );
          props.rows.forEach((r, j) =>
            acc.nodes.push(
              <T key={`c${i}-${j}`} x={acc.x + 8} y={props.y + rowH * (j + 1) + 18} size={13} fill={i === 0 ? BLUE : INK}>
                {r[i] ?? ''}
              </T>,
            ),
          );
          if (props.markCol === i) acc.nodes.push(<Mark key={`m${i}`} x={acc.x + 2} y={props.y + 2} w={c.w - 4} h={rowH * (props.rows.length + 1) - 4} />);
          acc.x += c.w;
          return acc;
        },
        { x: props.x, nodes: [] },
      ).nodes}
      {props.rows.map((_, j) => (
        <line key={j} x1={props.x} x2={props.x + props.w} y1={props.y + rowH * (j + 1)} y2={props.y + rowH * (j + 1)} stroke="#e0e0e0" />
      ))}
    </g>
  );
}

function Button2(props: { x: number; y: number; label: string; primary?: boolean; mark?: boolean }) {
  const w = props.label.length * 8.2 + 26;
  return (
    <g>
      <rect x={props.x} y={props.y} width={w} height={28} rx={4} fill={props.primary ? BLUE : '#ffffff'} stroke={props.primary ? BLUE : '#8a8a8a'} />
      <T x={props.x + 12} y={props.y + 19} size={13} weight={600} fill={props.primary ? '#ffffff' : INK}>
        {props.label}
      </T>
      {props.mark && <Mark x={props.x - 4} y={props.y - 4} w={w + 8} h={36} />}
    </g>
  );
}

function drawing(d: IllustrationData): { height: number; body: ReactNode } {
  const typeName = (t: string) => (t === 'delegated' ? 'Delegated' : 'Application');
  switch (d.kind) {
    case 'new-registration': {
      const nodes: ReactNode[] = [];
      let y = 112;
      nodes.push(<Box key="name" x={20} y={y} w={600} label="Name" value={d.appName} mark />);
      y += 62;
      nodes.push(
        <T key="sat" x={20} y={y} size={13} weight={600}>
          Supported account types
        </T>,
      );
      y += 26;
      for (const a of d.accountTypes) {
        nodes.push(<Check key={a.id} x={24} y={y} on={a.selected} radio label={a.label} mark={a.selected} max={78} />);
        y += lineCount(a.label, 78) * 17 + 12;
      }
      y += 8;
      nodes.push(
        <T key="ru" x={20} y={y} size={13} weight={600}>
          Redirect URI (optional)
        </T>,
      );
      y += 8;
      if (d.redirectUris[0]) {
        nodes.push(<rect key="p" x={20} y={y} width={110} height={26} rx={3} fill="#ffffff" stroke="#8a8a8a" />, <T key="pt" x={28} y={y + 18} size={13}>Web</T>);
        nodes.push(<Box key="u" x={140} y={y - 6} w={480} label="" value={d.redirectUris[0]} mono />);
        nodes.push(<Mark key="m" x={16} y={y - 4} w={608} h={34} />);
      } else nodes.push(<T key="none" x={20} y={y + 18} size={13} fill={MUTED}>(leave empty)</T>);
      y += 48;
      nodes.push(<Button2 key="reg" x={20} y={y} label="Register" primary />);
      return { height: y + 48, body: nodes };
    }
    case 'app-overview': {
      const rows: [string, string][] = [
        ['Display name', d.appName],
        ['Application (client) ID', d.clientId ?? '(shown here after Register)'],
        ['Directory (tenant) ID', d.tenantId ?? '(shown here)'],
        ['Object ID', 'not needed'],
      ];
      return {
        height: 300,
        body: (
          <>
            <T x={20} y={116} size={15} weight={600}>
              Essentials
            </T>
            {rows.map(([k, v], i) => (
              <g key={k}>
                <T x={24} y={150 + i * 34} size={13} fill={MUTED}>
                  {k}
                </T>
                <text x={230} y={150 + i * 34} fontSize={13} fill={i === 3 ? MUTED : INK} fontFamily="Consolas, monospace">
                  {v}
                </text>
                {(i === 1 || i === 2) && <Mark x={18} y={130 + i * 34} w={600} h={28} />}
              </g>
            ))}
          </>
        ),
      };
    }
    case 'add-platform-web': {
      const nodes: ReactNode[] = [];
      let y = 112;
      nodes.push(<T key="w" x={20} y={y} size={15} weight={600}>Web · Redirect URIs</T>);
      y += 14;
      for (const u of d.redirectUris) {
        nodes.push(<Box key={u} x={24} y={y} w={592} label="" value={u} mono mark />);
        y += 40;
      }
      if (d.implicit) {
        y += 14;
        nodes.push(<T key="ig" x={20} y={y} size={15} weight={600}>Implicit grant and hybrid flows</T>);
        y += 26;
        nodes.push(<Check key="at" x={24} y={y} on label="Access tokens (used for implicit flows)" mark />);
        y += 26;
        nodes.push(<Check key="it" x={24} y={y} on label="ID tokens (used for implicit and hybrid flows)" mark />);
        y += 16;
      }
      if (d.publicClient) {
        y += 20;
        nodes.push(<T key="pc" x={20} y={y} size={15} weight={600}>Advanced settings · Allow public client flows</T>);
        y += 26;
        nodes.push(<T key="pq" x={24} y={y} size={13}>Enable the following mobile and desktop flows:</T>);
        nodes.push(<Button2 key="yes" x={360} y={y - 19} label="Yes" primary mark />, <Button2 key="no" x={420} y={y - 19} label="No" />);
        y += 12;
      }
      y += 20;
      nodes.push(<Button2 key="save" x={20} y={y} label="Save" primary />);
      return { height: y + 46, body: nodes };
    }
    case 'certificates-secrets':
      return {
        height: 250,
        body: (
          <>
            <T x={20} y={114} size={13} weight={600} fill={BLUE}>
              Client secrets (1)
            </T>
            <Button2 x={20} y={124} label="+ New client secret" />
            <Table
              x={20}
              y={168}
              w={600}
              cols={[
                { label: 'Description', w: 130 },
                { label: 'Expires', w: 100 },
                { label: 'Value  ← copy this', w: 200 },
                { label: 'Secret ID  (not this)', w: 170 },
              ]}
              rows={[[d.secretDescription ?? 'mail', 'the date', 'Qx78Q~••••••••••', '3f2a9c4e-8b1d-…']]}
              markCol={2}
            />
            <T x={20} y={240} size={13} fill={MARK} weight={600}>
              The Value is shown only now: paste it into the assistant before you leave the page.
            </T>
          </>
        ),
      };
    case 'api-permissions':
    case 'admin-consent': {
      const consent = d.kind === 'admin-consent';
      const rows = d.permissions.map((p) => [p.name, typeName(p.type), p.resource, consent ? `Granted for ${d.org}` : '']);
      const nodes: ReactNode[] = [];
      nodes.push(<Button2 key="add" x={20} y={100} label="+ Add a permission" mark={!consent} />);
      nodes.push(<Button2 key="grant" x={200} y={100} label={`Grant admin consent for ${d.org}`} mark={consent} />);
      nodes.push(<T key="cp" x={20} y={158} size={15} weight={600}>Configured permissions</T>);
      nodes.push(
        <Table
          key="t"
          x={20}
          y={168}
          w={600}
          cols={[
            { label: 'API / Permissions name', w: 200 },
            { label: 'Type', w: 100 },
            { label: 'Resource', w: 160 },
            { label: 'Status', w: 140 },
          ]}
          rows={rows}
          markCol={consent ? 3 : 1}
        />,
      );
      return { height: 168 + 26 * (rows.length + 1) + 24, body: nodes };
    }
    case 'enterprise-app-users':
      return {
        height: 230,
        body: (
          <>
            <T x={20} y={112} size={13} fill={MUTED}>
              {`Enterprise application: ${d.appName}`}
            </T>
            <Button2 x={20} y={124} label="+ Add user/group" mark />
            <Table x={20} y={168} w={600} cols={[{ label: 'Display name', w: 300 }, { label: 'Object type', w: 300 }]} rows={[[d.mailbox, 'User']]} markCol={0} />
          </>
        ),
      };
    case 'manage-email-apps':
      return {
        height: 290,
        body: (
          <>
            <T x={20} y={112} size={13} fill={MUTED}>
              {`Active users > ${d.mailbox} > Mail`}
            </T>
            <Check x={24} y={146} on={false} label="Outlook on the web" />
            <Check x={24} y={172} on label="IMAP" mark />
            <Check x={24} y={198} on={false} label="POP" />
            <Check x={24} y={224} on label="Authenticated SMTP" mark />
            <Button2 x={20} y={244} label="Save changes" primary />
          </>
        ),
      };
  }
}

const TITLES: Record<IllustrationData['kind'], { title: string; crumb: string; admin?: boolean }> = {
  'new-registration': { title: 'Register an application', crumb: 'Entra ID > App registrations > New registration' },
  'app-overview': { title: 'Overview', crumb: 'Entra ID > App registrations > your app > Overview' },
  'add-platform-web': { title: 'Authentication', crumb: 'Your app > Authentication > Platform configurations' },
  'certificates-secrets': { title: 'Certificates & secrets', crumb: 'Your app > Certificates & secrets > Client secrets' },
  'api-permissions': { title: 'API permissions', crumb: 'Your app > API permissions' },
  'admin-consent': { title: 'API permissions', crumb: 'Your app > API permissions > Grant admin consent' },
  'enterprise-app-users': { title: 'Users and groups', crumb: 'Entra ID > Enterprise apps > your app > Users and groups' },
  'manage-email-apps': { title: 'Manage email apps', crumb: 'Users > Active users > the mailbox > Mail', admin: true },
};

/** The drawing alone (an image with its alt text and data attributes the tests read). */
export function PortalDrawing(props: { data: IllustrationData }) {
  const styles = useStyles();
  const d = props.data;
  const { height, body } = drawing(d);
  const t = TITLES[d.kind];
  return (
    <svg
      className={styles.svg}
      viewBox={`0 0 ${W} ${height}`}
      role="img"
      aria-label={d.alt}
      fontFamily="Segoe UI, system-ui, sans-serif"
      data-illustration={d.kind}
      data-app-name={d.appName}
      data-account-type={d.accountTypes.find((a) => a.selected)?.label}
      data-permissions={d.permissions.map((p) => `${p.resource}|${p.type}|${p.name}`).join(',')}
    >
      <Frame title={t.title} crumb={t.crumb} height={height} admin={t.admin}>
        {body}
      </Frame>
    </svg>
  );
}

/** The drawing in a step: a button that opens it full size. */
export function PortalIllustration(props: { data: IllustrationData }) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  return (
    <div>
      {/* The picture opens on a click; the button below is the keyboard's way to the same. */}
      <div className={styles.thumb} onClick={() => setOpen(true)} data-testid="illustration">
        <PortalDrawing data={props.data} />
      </div>
      <div className={styles.caption}>
        <Text size={200}>What to look for is outlined in red.</Text>
        <Button size="small" appearance="subtle" icon={<ZoomIn16Regular />} onClick={() => setOpen(true)}>
          Enlarge the picture
        </Button>
      </div>
      {open && (
      <Dialog open onOpenChange={(_, d) => setOpen(d.open)}>
        <DialogSurface className={styles.surface}>
          <DialogBody>
            <DialogTitle>What this looks like in the portal</DialogTitle>
            <DialogContent>
              <PortalDrawing data={props.data} />
              <p>{props.data.alt}</p>
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => setOpen(false)}>
                Close
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
      )}
    </div>
  );
}
