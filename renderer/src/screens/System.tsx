import { makeStyles, mergeClasses, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Filled } from '@fluentui/react-icons/svg/checkmark-circle';
import { TARGETS } from '../catalogue';
import { Screen } from '../components/Screen';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(230px, 1fr))', gap: tokens.spacingHorizontalM, listStyle: 'none', padding: 0, margin: 0 },
  card: {
    width: '100%',
    height: '100%',
    textAlign: 'left',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    cursor: 'pointer',
    font: 'inherit',
    boxShadow: tokens.shadow2,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover, border: `1px solid ${tokens.colorNeutralStroke1Hover}` },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' },
  },
  selected: { border: `2px solid ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2, ':hover': { backgroundColor: tokens.colorBrandBackground2Hover, border: `2px solid ${tokens.colorBrandStroke1}` } },
  head: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS },
  check: { color: tokens.colorBrandForeground1 },
  desc: { color: tokens.colorNeutralForeground2 },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** What the system is and where its mail settings are, so people recognise theirs (item 18); the catalogue's line says the mechanism. */
export const RECOGNISE: Record<string, string> = {
  odoo: 'The Odoo ERP (odoo.com or your own server). Its mail settings: Settings > General Settings > Discuss > Custom Email Servers.',
  flectra: 'The Flectra ERP (an Odoo fork). Its mail settings: Settings > General Settings > Discuss > Custom Email Servers.',
  flexdeploy: 'Flexagon FlexDeploy, the release and deployment tool. Its mail settings: Administration > Email Settings (9.0: Integration Settings).',
  emailengine: 'EmailEngine, the mail API server your own software calls. Its settings: the EmailEngine web UI, Configuration > OAuth2.',
  frappe: 'The Frappe Framework or ERPNext. Its mail settings: the Connected App and Email Account documents.',
  cxt: "CXT Software's Operations App for couriers and delivery. You give CXT the values; there is no screen of yours to fill in.",
};

const GROUPS = [
  { key: 'systems', title: 'Business systems', filter: (t: { seed?: string }) => !!t.seed },
  { key: 'generic', title: 'Your own application or a shared mailbox', filter: (t: { seed?: string }) => !t.seed },
];

export function System(props: { selected?: string; onSelect: (id: string, displayName: string) => void; onBack: () => void; onNext: () => void }) {
  const styles = useStyles();
  return (
    <Screen
      id="system"
      title="Which system are you connecting?"
      lead="Each system expects its own redirect address, permissions and field names; pick yours and the assistant works them out."
      onBack={props.onBack}
      onNext={props.onNext}
      nextDisabled={!props.selected}
    >
      {GROUPS.map((group) => (
        <section key={group.title} aria-labelledby={`group-${group.key}`} className={styles.group}>
          <Text as="h3" id={`group-${group.key}`} weight="semibold" size={400}>
            {group.title}
          </Text>
          <ul className={styles.grid}>
            {TARGETS.filter(group.filter).map((t) => {
              const selected = t.id === props.selected;
              return (
                <li key={t.id}>
                  <button
                    type="button"
                    className={mergeClasses(styles.card, selected && styles.selected)}
                    aria-pressed={selected}
                    data-target={t.id}
                    onClick={() => props.onSelect(t.id, t.displayName)}
                    onDoubleClick={() => {
                      props.onSelect(t.id, t.displayName);
                      props.onNext();
                    }}
                  >
                    <span className={styles.head}>
                      <Text weight="semibold" size={400}>
                        {t.displayName}
                      </Text>
                      {selected && <CheckmarkCircle20Filled className={styles.check} aria-hidden />}
                    </span>
                    {RECOGNISE[t.id] && <Text size={300}>{RECOGNISE[t.id]}</Text>}
                    <Text size={200} className={styles.desc}>
                      {t.description}
                    </Text>
                  </button>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </Screen>
  );
}
