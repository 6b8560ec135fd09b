// The help of each command, as `cargo nerq --help` prints it (the wording of the Python command
// it replaces, at 100 columns). Tests check that every option of the tables in Commands.swift is
// named here, and the snapshots in bindings/cargo/tests/snapshots.

// The options both `cargo nerq` and `cargo nerq crate` take (Commands.swift: dataOptions, outputOptions).
let dataOptionsHelp = #"""
  --advisory-db DIR     RustSec advisory-db directory (default: $NERQ_ADVISORY_DB, then
                        ~/.cargo/advisory-db, then nerq's fetched copy)
  --registry PATH       crates.io database dump (db-dump.tar.gz or its folder) or nerq's store
                        built from it (default: the store `cargo nerq fetch --dump` built)
  --no-fetch            use only the data on disk; fetch nothing
  --now RFC3339         the moment the report speaks of; ignore expiry is compared with it
                        (default: the clock)
"""#

let outputOptionsHelp = #"""
  --format {human,json,sarif,markdown,html}
                        output format (default: human, or [output] format of audit.toml)
  -o FILE, --output FILE
                        write the report to FILE instead of stdout
  --evidence, --no-evidence
                        list file:line evidence of unsafe code and capabilities (default: on a
                        crate's html page)
  --color {auto,always,never}
                        colour the human output (default: auto)
  -q, --quiet           no progress messages and no list of config files read
"""#

let projectHelp = #"""
usage: cargo nerq [OPTIONS]
       cargo nerq crate NAME[@VERSION] [OPTIONS]
       cargo nerq fetch [OPTIONS]

Trust scores, grades and verdicts for every dependency of a Rust project, with the advisories behind them (from a RustSec advisory-db). Exits 1 when a vulnerability is found, as cargo-audit does.

options:
  -h, --help            show this help message and exit
  -V, --version         print version information and exit

project:
  --manifest-path PATH  path to Cargo.toml (as cargo)
  --metadata-path FILE  read saved `cargo metadata --format-version 1` output
  --lockfile FILE       assess a bare Cargo.lock (cargo is not run; workspace members are guessed)
  --offline             passed to cargo metadata
  --locked              passed to cargo metadata
  --frozen              passed to cargo metadata
  --no-dev              leave out packages only dev-dependencies pull in
  --target-os OS        only advisories that apply to this OS (e.g. linux; default: [target] of
                        audit.toml, else every OS)
  --target-arch ARCH    only advisories that apply to this arch
  --target TRIPLE       say for each finding whether it is compiled for this target (e.g.
                        x86_64-unknown-linux-gnu; repeatable; "all" for every platform at once);
                        from the manifests, nothing is built
  --features FEATURES   with --target: the members' features (as cargo; comma-separated,
                        repeatable)
  --all-features        with --target: every feature of the members
  --no-default-features
                        with --target: not the members' default features
  --no-scan             do not scan the crates' sources found on disk (faster; advisories and
                        manifests only)
  --vendor-dir DIR      also look for crate sources here, as `cargo vendor` lays them out
                        (repeatable)

configuration and gates:
  --config FILE         read this configuration file too: audit.toml, deny.toml (by name), else
                        nerq.toml format
  --no-config           look for no configuration file (--config still applies)
  --ignore ID           ignore an advisory by id or alias (repeatable; reported, with unused and
                        unknown ones)
  -D KINDS, --deny KINDS
                        also fail on findings of these kinds: vulnerability, unsound,
                        unmaintained, yanked, notice, malicious, warnings (= unmaintained,
                        unsound, yanked); comma-separated, repeatable
  -A KINDS, --allow KINDS
                        report findings of these kinds but never fail on them (e.g. --allow
                        vulnerability)
  --fail-under SCORE    fail when a dependency scores below SCORE (workspace members are not
                        gated)
  --gate-scope {all,compiled,referenced}
                        which findings of a denied kind fail the run: all; compiled (default: not
                        those compiled for none of the --target platforms); referenced (also not
                        those whose affected functions nothing references); a finding whose status
                        is unknown always counts
  --baseline FILE       fail only on findings not in FILE; FILE is written with today's findings
                        when it does not exist
  --update-baseline     rewrite the --baseline FILE with today's findings

data:
\#(dataOptionsHelp)

output:
  --all                 list every package (default: those with a verdict below safe or a finding
                        above info)
  --tree                show the inverted dependency tree of each finding: every path that pulls
                        it in
\#(outputOptionsHelp)

configuration (found as each tool finds its own; every file found is read, and named on stderr):
  .cargo/audit.toml  cargo-audit's: in the current directory, else $CARGO_HOME/audit.toml
  deny.toml          cargo-deny's [advisories]: deny.toml, .deny.toml or .cargo/deny.toml, from
                     the manifest's directory up
  nerq.toml          nerq's own (ignores with reason and expiry, gates, policy): from the
                     manifest's directory up; also [workspace.metadata.nerq] in the workspace
                     Cargo.toml
  Ignores from every file apply; a kind any file denies fails the run. An ignore naming a CVE or
  GHSA alias applies in nerq (cargo-audit and cargo-deny match only RUSTSEC ids) and is reported.

data:
  What is not on disk is fetched first (like cargo-audit): the RustSec advisory-db (a git clone
  shared with cargo-audit in ~/.cargo/advisory-db, else in nerq's cache), OSV's crates.io export
  (GitHub and malicious-package advisories), and the crates.io index files of the project's
  packages (only their names are sent, to index.crates.io). `cargo nerq fetch` updates everything;
  --offline, --frozen, CARGO_NET_OFFLINE=true or cargo's net.offline fetch nothing; --no-fetch uses
  only what is on disk. Results warn when data is older than 90 days.

exit status:
  0  no gate tripped
  1  a gate tripped: a finding of a denied kind (default: vulnerability, malicious; --deny adds,
     --allow removes, config files add what their tool fails on), a dependency scoring below
     --fail-under, or an unused ignore with unused_ignores = "deny"; with --baseline only findings
     not recorded in it count
  2  operational error (bad flags or config, no advisory database, broken manifest, cargo metadata
     failed, output could not be written)
  130 interrupted (Ctrl-C)

formats (rendered by libnerq, the same for every host):
  human     one row per package that needs attention, with the reason; then every finding with
            its advisory text, the advisory's alternatives, the fix, and what pulls it in
  json      the nerq.assessment document as libnerq returns it
  sarif     SARIF 2.1.0: one result per advisory and package version, located in Cargo.lock
  markdown  a pull-request comment: summary line, table of affected packages, details folded
  html      one self-contained page: charts, every package sorted by risk, each with its details

environment:
  CARGO              the cargo to run `cargo metadata` with (set by cargo; default: cargo)
  CARGO_HOME         where $CARGO_HOME/audit.toml is looked for (default: ~/.cargo)
  NERQ_ADVISORY_DB   RustSec advisory-db directory (default: ~/.cargo/advisory-db, then nerq's cache)
  NERQ_CACHE_DIR     where fetched data lives (default: $XDG_CACHE_HOME/nerq, ~/.cache/nerq)
  NERQ_ADVISORY_DB_URL, NERQ_OSV_URL, NERQ_INDEX_URL, NERQ_DB_DUMP_URL   where data is fetched from
  CARGO_NET_OFFLINE  true: fetch nothing (as cargo)
  NERQ_LIBRARY       libnerq.so to load
  COLUMNS            width of the human output (default: the terminal's; none when piped)
  CARGO_TERM_COLOR   auto, always or never (as --color); NO_COLOR disables colour in auto mode

examples:
  cargo nerq                                   # the current project; exit 1 on a vulnerability
  cargo nerq -D warnings                       # also fail on unmaintained, unsound, yanked
  cargo nerq --allow vulnerability             # report, never fail on vulnerabilities
  cargo nerq --baseline nerq-baseline.json     # fail only on findings not in the baseline
  cargo nerq --tree                            # every path that pulls each finding in
  cargo nerq --fail-under 50 --format sarif > nerq.sarif
  cargo nerq --lockfile Cargo.lock --advisory-db ~/advisory-db --format markdown
  cargo nerq crate nix                         # "Is nix safe?" for the version Cargo.lock locks
  cargo nerq crate nix@0.22.1 --format html -o nix.html
  cargo nerq fetch                             # update the advisories and the project's index files
  cargo nerq fetch --dump                      # also crates.io's database dump (~1.7 GB): downloads, owners
"""# + "\n"

let crateHelp = #"""
usage: cargo nerq crate NAME[@VERSION] [OPTIONS]

Is NAME safe? The trust report for one crate version: score, grade, verdict, the eight dimensions with their signals, the findings, and how to check them yourself. A bare NAME means the version Cargo.lock locks here, else the newest the registry data knows.

positional arguments:
  NAME[@VERSION]        the crate, e.g. nix or nix@0.22.1

options:
  -h, --help            show this help message and exit
  --lockfile FILE       the Cargo.lock a bare NAME is looked up in (default: the nearest one)
  --offline             fetch nothing (as cargo's --offline)

gates:
  -D KINDS, --deny KINDS
                        fail on findings of these kinds (see cargo nerq --help)
  --fail-under SCORE    fail when the crate scores below SCORE

data:
\#(dataOptionsHelp)

output:
\#(outputOptionsHelp)

exit status: 0 no gate tripped, 1 a gate tripped (--deny, --fail-under), 2 operational error, 130 interrupted
"""# + "\n"

let fetchHelp = #"""
usage: cargo nerq fetch [OPTIONS]

Fetches or updates the data nerq scores with: the RustSec advisory-db, OSV's crates.io export, the crates.io index files of the project's packages, and (with --dump) crates.io's database dump. Prints what came from where, where it is kept and how old it is.

options:
  -h, --help            show this help message and exit
  --manifest-path PATH  the project whose Cargo.lock names the packages (default: here)
  --lockfile FILE       the Cargo.lock whose crates.io packages' index files are fetched
  --package NAME        also fetch this crate's index file (repeatable)
  --dump                also fetch crates.io's database dump (~1.7 GB) into nerq's registry store
  --advisory-db DIR     fetch the advisory-db into this directory
  --offline             fetch nothing; show what is on disk
  --missing             fetch only what is not on disk yet
  --format {human,json}
                        output format (default: human)
  --color {auto,always,never}
                        colour the human output (default: auto)
  --now RFC3339         the moment ages are counted to (default: the clock)
  -q, --quiet           no progress messages

exit status: 0 every source is current, 2 a source could not be fetched (what was on disk stays in use)
"""# + "\n"
