import { Field, Input, makeStyles, Select, Text, tokens } from '@fluentui/react-components';

export type SortKey = 'recent' | 'expiry' | 'status' | 'name';

const useStyles = makeStyles({
  tools: { display: 'flex', gap: tokens.spacingHorizontalL, alignItems: 'flex-end', flexWrap: 'wrap' },
});

/**
 * Find and sort the saved connections (item 18), shown from four of them on. Its own chunk (issue 23):
 * the input and select are not part of the first screen's JavaScript for the many who have few.
 */
export function FindAndSort(props: { query: string; onQuery: (q: string) => void; sort: SortKey; onSort: (s: SortKey) => void; shown: number; total: number }) {
  const styles = useStyles();
  return (
    <div className={styles.tools}>
      <Field label="Find a connection">
        <Input type="search" value={props.query} onChange={(_, d) => props.onQuery(d.value)} placeholder="Customer, system or mailbox" data-testid="start-search" />
      </Field>
      <Field label="Sort by">
        <Select value={props.sort} onChange={(_, d) => props.onSort(d.value as SortKey)} data-testid="start-sort">
          <option value="recent">Last changed</option>
          <option value="expiry">Secret expiry, soonest first</option>
          <option value="status">Status, failing first</option>
          <option value="name">Name</option>
        </Select>
      </Field>
      <Text size={200} aria-live="polite">
        {props.shown} of {props.total} shown
      </Text>
    </div>
  );
}
