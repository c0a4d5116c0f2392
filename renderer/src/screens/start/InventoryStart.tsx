/**
 * "Who still signs in with a password?" from the Start screen (issue 22, item 6), without a saved
 * connection: the administrator names the organisation (a verified domain or the tenant ID), signs in read
 * only, and the assistant lists who signed in to mail with a password in the last 30 days.
 */
import { Button, Field, Input, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ArrowLeft20Regular } from '@fluentui/react-icons/svg/arrow-left';
import { useMemo, useState } from 'react';
import { InventoryTenantSchema, type InventoryTenant } from '../../../../shared/ipc/inventory';
import { WhoSignsInWithPassword } from '../../components/WhoSignsInWithPassword';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px' },
  muted: { color: tokens.colorNeutralForeground2 },
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '520px' },
});

export function InventoryStart(props: { onBack: () => void }) {
  const styles = useStyles();
  const [tenant, setTenant] = useState('');
  const [other, setOther] = useState(false);
  const [signInHost, setSignInHost] = useState('');
  const [graphUrl, setGraphUrl] = useState('');
  const parsed = useMemo(() => {
    const endpoints = other ? { ...(signInHost.trim() ? { signInHost: signInHost.trim() } : {}), ...(graphUrl.trim() ? { graphUrl: graphUrl.trim() } : {}) } : {};
    const r = InventoryTenantSchema.safeParse({ tenant: tenant.trim(), ...(Object.keys(endpoints).length ? { endpoints } : {}) });
    return r.success ? (r.data satisfies InventoryTenant) : undefined;
  }, [tenant, other, signInHost, graphUrl]);
  return (
    <section className={styles.stack} aria-labelledby="inventory-start-title" data-screen="inventory-start">
      <div>
        <Button appearance="subtle" icon={<ArrowLeft20Regular />} onClick={props.onBack}>
          Back to the start
        </Button>
      </div>
      <h2 id="inventory-start-title">Who still signs in with a password?</h2>
      <Text block className={styles.muted}>
        No connection is needed: name your organisation, sign in as an administrator (read only), and the assistant lists every account, program and device that signed in to mail with a password (SMTP AUTH, IMAP, POP…) in the last 30 days, with what to do for each.
      </Text>
      <div className={styles.fields}>
        <Field label="Your organisation: a domain of it or its tenant ID" hint="For example contoso.com, or the Directory (tenant) ID from the Entra admin center." validationState={tenant.trim() && !parsed ? 'error' : 'none'} validationMessage={tenant.trim() && !parsed ? 'A domain such as contoso.com or the tenant ID.' : undefined}>
          <Input value={tenant} onChange={(_, d) => setTenant(d.value)} spellCheck={false} data-input="inventory-tenant" />
        </Field>
        <div>
          <Button appearance="subtle" size="small" aria-expanded={other} onClick={() => setOther(!other)}>
            Advanced: other servers (national clouds, a test system)
          </Button>
        </div>
        {other && (
          <>
            <Field label="Sign-in host">
              <Input value={signInHost} onChange={(_, d) => setSignInHost(d.value)} placeholder="login.microsoftonline.com" spellCheck={false} data-endpoint="signInHost" />
            </Field>
            <Field label="Microsoft Graph">
              <Input value={graphUrl} onChange={(_, d) => setGraphUrl(d.value)} placeholder="https://graph.microsoft.com" spellCheck={false} data-endpoint="graphUrl" />
            </Field>
          </>
        )}
      </div>
      <WhoSignsInWithPassword tenant={parsed} />
    </section>
  );
}
