/**
 * Shell completion scripts generated from the command tree, so they never drift from the real flags.
 * bash does the work; zsh reuses it through bashcompinit; fish gets native `complete` lines.
 */
export interface CompletionNode {
  name: string;
  description: string;
  options: Array<{ flag: string; description: string; takesValue: boolean }>;
  /** Fixed positional values (e.g. bash zsh fish). */
  values: string[];
  children: CompletionNode[];
}

const BIN = 'operator-ts';

function paths(node: CompletionNode, prefix: string[] = []): Array<{ path: string[]; node: CompletionNode }> {
  const out: Array<{ path: string[]; node: CompletionNode }> = [{ path: prefix, node }];
  for (const child of node.children) out.push(...paths(child, [...prefix, child.name]));
  return out;
}

export function bashCompletion(root: CompletionNode): string {
  const cases = paths(root)
    .sort((a, b) => b.path.length - a.path.length)
    .map(({ path, node }) => {
      const words = [...node.children.map((c) => c.name), ...node.values, ...node.options.map((o) => o.flag)].join(' ');
      const key = path.join(' ');
      // A leaf swallows everything after it (flag values); an inner command matches exactly.
      const pattern = node.children.length === 0 && key !== '' ? `"${key}"|"${key} "*` : `"${key}"`;
      return `    ${pattern}) candidates="${words}" ;;`;
    });
  return `# bash completion for ${BIN}; load with: source <(${BIN} completion bash)
_operator_ts_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" i word
  case "$prev" in
    --project-dir|--kubeconfig|--crds) COMPREPLY=( $(compgen -f -- "$cur") ); return 0 ;;
  esac
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) ;; *) path="\${path:+$path }$word" ;; esac
  done
  local candidates=""
  case "$path" in
${cases.join('\n')}
  esac
  COMPREPLY=( $(compgen -W "$candidates" -- "$cur") )
}
complete -F _operator_ts_complete ${BIN}
`;
}

export function zshCompletion(root: CompletionNode): string {
  return `# zsh completion for ${BIN}; load with: source <(${BIN} completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(root).split('\n').slice(1).join('\n')}`;
}

function fishQuote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function fishCompletion(root: CompletionNode): string {
  const lines = [`# fish completion for ${BIN}; load with: ${BIN} completion fish | source`, `complete -c ${BIN} -f`];
  const top = root.children.map((c) => c.name).join(' ');
  for (const child of root.children) {
    lines.push(`complete -c ${BIN} -n "not __fish_seen_subcommand_from ${top}" -a ${child.name} -d ${fishQuote(child.description)}`);
  }
  for (const { path, node } of paths(root)) {
    if (path.length === 0) continue;
    const here = `__fish_seen_subcommand_from ${path[path.length - 1]}`;
    const notDeeper = node.children.length > 0 ? `; and not __fish_seen_subcommand_from ${node.children.map((c) => c.name).join(' ')}` : '';
    for (const child of node.children) {
      lines.push(`complete -c ${BIN} -n "${here}${notDeeper}" -a ${child.name} -d ${fishQuote(child.description)}`);
    }
    if (node.values.length > 0) lines.push(`complete -c ${BIN} -n "${here}" -a ${fishQuote(node.values.join(' '))}`);
    for (const opt of node.options) {
      lines.push(`complete -c ${BIN} -n "${here}" -l ${opt.flag.replace(/^--/, '')}${opt.takesValue ? ' -r' : ''} -d ${fishQuote(opt.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
