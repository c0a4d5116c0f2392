import { Button } from '@fluentui/react-components';
import { Open16Regular } from '@fluentui/react-icons/svg/open';
import { getApi } from '../api';
import { useAnnounce } from './Announcer';

/** Opens a Microsoft page in the user's browser (main allows only https Microsoft/doc hosts). */
export function PortalLink(props: { label: string; url: string; appearance?: 'secondary' | 'primary' | 'subtle' }) {
  const announce = useAnnounce();
  return (
    <Button
      appearance={props.appearance ?? 'secondary'}
      icon={<Open16Regular />}
      iconPosition="after"
      title={props.url}
      onClick={async () => {
        const r = await getApi().app.openExternal({ url: props.url });
        announce(r.ok ? `${props.label}: opened in your browser` : r.error.message);
      }}
    >
      {props.label}
    </Button>
  );
}
