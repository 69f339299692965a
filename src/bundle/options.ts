import { ValidationError } from '../errors.js';
import { DNS_LABEL, IMAGE_REFERENCE, SEMVER } from './names.js';

/** What `generate bundle` is asked for; every field but projectDir is optional. */
export interface BundleOptionsInput {
  projectDir: string;
  version?: string | undefined;
  channels?: string | undefined;
  defaultChannel?: string | undefined;
  packageName?: string | undefined;
  image?: string | undefined;
}

export interface BundleOptions {
  projectDir: string;
  version: string;
  channels: string[];
  defaultChannel: string;
  packageName: string;
  /** The manager image, or undefined to keep the one config/manager sets. */
  image: string | undefined;
}

/** Operator SDK's default channel when none is given. */
export const DEFAULT_CHANNEL = 'alpha';

/**
 * Fills defaults (version from package.json, package from PROJECT's projectName, channel `alpha`,
 * default channel the first channel) and checks every value before anything is rendered.
 */
export function resolveBundleOptions(input: BundleOptionsInput, project: { name: string; version: string | undefined }): BundleOptions {
  const version = input.version ?? project.version;
  if (version === undefined) {
    throw new ValidationError('no bundle version: --version was not given and package.json has no "version"', {
      hint: 'pass --version 0.1.0 (semantic version, no leading v)',
    });
  }
  checkVersion(version);
  const packageName = input.packageName ?? project.name;
  if (!DNS_LABEL.test(packageName)) {
    throw new ValidationError(`package name ${JSON.stringify(packageName)} is not a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)`, {
      hint: `pass --package ${suggestLabel(packageName)}`,
    });
  }
  const channels = input.channels === undefined ? [DEFAULT_CHANNEL] : input.channels.split(',').map((c) => c.trim());
  channels.forEach((c, i) => {
    if (c === '') {
      throw new ValidationError(`--channels ${JSON.stringify(input.channels)} has an empty channel name at position ${i + 1}`, {
        hint: 'separate channel names with single commas, e.g. --channels alpha,stable',
      });
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(c)) {
      throw new ValidationError(`channel name ${JSON.stringify(c)} may hold only letters, digits, '.', '_' and '-'`, { hint: 'e.g. --channels alpha,stable' });
    }
  });
  if (new Set(channels).size !== channels.length) {
    throw new ValidationError(`--channels ${JSON.stringify(input.channels)} names a channel twice`, { hint: 'list each channel once' });
  }
  const defaultChannel = input.defaultChannel ?? channels[0]!;
  if (!channels.includes(defaultChannel)) {
    throw new ValidationError(`the default channel ${JSON.stringify(defaultChannel)} is not one of the channels (${channels.join(', ')})`, {
      hint: `add it: --channels ${[...channels, defaultChannel].join(',')}, or pick one of them with --default-channel`,
    });
  }
  if (input.image !== undefined && !IMAGE_REFERENCE.test(input.image)) {
    throw new ValidationError(`--image ${JSON.stringify(input.image)} is not an image reference`, {
      hint: `use name[:tag] or host/path:tag in lower case, e.g. --image registry.example.com/${packageName}:v${version}`,
    });
  }
  return { projectDir: input.projectDir, version, channels, defaultChannel, packageName, image: input.image };
}

export function checkVersion(version: string): void {
  if (SEMVER.test(version)) return;
  const fixed = version.replace(/^v/, '');
  const suggestion = SEMVER.test(fixed) ? fixed : /^\d+\.\d+$/.test(fixed) ? `${fixed}.0` : '0.1.0';
  throw new ValidationError(`version ${JSON.stringify(version)} is not a semantic version (MAJOR.MINOR.PATCH, no leading v)`, {
    hint: `use e.g. --version ${suggestion}`,
  });
}

function suggestLabel(name: string): string {
  const label = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return label === '' ? 'my-operator' : label;
}
