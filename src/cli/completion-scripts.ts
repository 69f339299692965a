/**
 * Shell completion scripts generated from the command tree, so they never drift from the real flags.
 * bash does the work; zsh reuses it through bashcompinit; fish gets native `complete` lines.
 */
export interface CompletionOption {
  flag: string;
  description: string;
  takesValue: boolean;
  /** The only values the flag accepts (e.g. apache2 mit none), offered after it. */
  choices?: readonly string[];
  /** The value is a file or directory path: file names are offered after it. */
  path?: boolean;
}

export interface CompletionNode {
  name: string;
  description: string;
  options: CompletionOption[];
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

function bashWords(words: readonly string[]): string {
  return words.join(' ');
}

/**
 * The bash function walks the words before the cursor: plain words build the command path, a flag
 * that takes a value swallows the next word (`--flag=value` arrives as three words: flag, =, value).
 * When the cursor is on a flag's value it offers that flag's choices, file names for a path, and
 * nothing otherwise (any text is a valid start of a value); elsewhere the command's subcommands,
 * positional values and flags.
 */
export function bashCompletion(root: CompletionNode): string {
  const all = paths(root).map(({ path, node }) => ({ key: path.join(' '), node }));
  const valueFlags = all.flatMap(({ key, node }) => node.options.filter((o) => o.takesValue).map((o) => ({ key, option: o })));
  const pattern = (items: Array<{ key: string; option: CompletionOption }>): string => items.map(({ key, option }) => `"${key}:${option.flag}"`).join('|');
  const withChoices = valueFlags.filter(({ option }) => option.choices !== undefined && option.choices.length > 0);
  const pathFlags = valueFlags.filter(({ option }) => option.path === true && option.choices === undefined);
  const valueCases = [
    ...withChoices.map(({ key, option }) => `      "${key}:${option.flag}") COMPREPLY=( $(compgen -W "${bashWords(option.choices!)}" -- "$cur") ) ;;`),
    ...(pathFlags.length > 0 ? [`      ${pattern(pathFlags)}) COMPREPLY=( $(compgen -f -- "$cur") ) ;;`] : []),
    '      *) COMPREPLY=() ;;',
  ];
  const cases = all.map(({ key, node }) => {
    const words = bashWords([...node.children.map((c) => c.name), ...node.values, ...node.options.map((o) => o.flag)]);
    return `    "${key}") candidates="${words}" ;;`;
  });
  const takesValue = valueFlags.length > 0 ? `      -*) case "$path:$word" in ${pattern(valueFlags)}) flag="$word" ;; esac ;;` : '      -*) ;;';
  return `# bash completion for ${BIN}; load with: source <(${BIN} completion bash)
_operator_ts_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" flag="" i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -n "$flag" ]]; then
      [[ "$word" == "=" ]] || flag=""
      continue
    fi
    case "$word" in
${takesValue}
      *) path="\${path:+$path }$word" ;;
    esac
  done
  if [[ -n "$flag" ]]; then
    [[ "$cur" == "=" ]] && cur=""
    case "$path:$flag" in
${valueCases.join('\n')}
    esac
    return 0
  fi
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

/** -x: a value is required and no file names are offered; -r -F: a path; plus -a with the choices. */
function fishValue(opt: CompletionOption): string {
  if (!opt.takesValue) return '';
  if (opt.choices !== undefined && opt.choices.length > 0) return ` -x -a ${fishQuote(opt.choices.join(' '))}`;
  return opt.path === true ? ' -r -F' : ' -x';
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
      lines.push(`complete -c ${BIN} -n "${here}" -l ${opt.flag.replace(/^--/, '')}${fishValue(opt)} -d ${fishQuote(opt.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
