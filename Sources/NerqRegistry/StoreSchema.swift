/// The registry store: one SQLite file built from a dump. Per-crate answers are precomputed at
/// ingest, so a lookup is one indexed read of `crates` plus one of `versions`.
///
/// - `crates`: one row per crate, keyed by its name (a lookup by name is one B-tree descent), with
///   every aggregate the signals need (downloads, recent downloads, percentiles, reverse
///   dependencies, versions, yanked versions, first/latest release, owners, categories and
///   keywords as JSON arrays, description, links, whether it has a README), the default version's
///   own fields (`dv_*`) and the alternatives' ranking proxy. Indexed by the dump's crate `id` and
///   by `canon` (lower case, `-` as `_`: the crates.io notion of the same name).
/// - `versions`: one row per published version (`crate_id`, `num`, `created_at`, `yanked`,
///   `downloads`, `license`, `edition`, `rust_version`, and the version's own `categories` and
///   `keywords` when the dump has them), indexed by (`crate_id`, `num`).
/// - `crate_categories`, `crate_keywords`: (slug|keyword, crate_id, proxy, ok), indexed by topic and
///   proxy, for the alternatives.
/// - `meta`: format, snapshot time, the dump's name and commit, tables present, ingest summary.
enum StoreSchema {
    static let format = "1"

    static let create = """
        PRAGMA page_size = 8192;
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        PRAGMA locking_mode = EXCLUSIVE;
        PRAGMA temp_store = MEMORY;
        PRAGMA cache_size = -65536;
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE crates(
            name TEXT PRIMARY KEY,
            id INTEGER NOT NULL,
            canon TEXT NOT NULL,
            created_at INTEGER,
            updated_at INTEGER,
            description TEXT,
            repository TEXT,
            documentation TEXT,
            homepage TEXT,
            downloads INTEGER,
            recent_downloads INTEGER,
            downloads_pct REAL,
            rev_deps INTEGER,
            rev_deps_pct REAL,
            versions INTEGER NOT NULL,
            yanked_versions INTEGER NOT NULL,
            first_release INTEGER,
            latest_release INTEGER,
            default_version_id INTEGER,
            latest_version TEXT,
            owners INTEGER,
            team_owners INTEGER,
            categories TEXT,
            keywords TEXT,
            proxy REAL NOT NULL,
            alt_ok INTEGER NOT NULL,
            has_readme INTEGER NOT NULL,
            dv_created_at INTEGER,
            dv_yanked INTEGER,
            dv_license TEXT,
            dv_edition TEXT,
            dv_rust_version TEXT,
            dv_categories TEXT,
            dv_keywords TEXT
        ) WITHOUT ROWID;
        CREATE TABLE versions(
            id INTEGER PRIMARY KEY,
            crate_id INTEGER NOT NULL,
            num TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            yanked INTEGER NOT NULL,
            downloads INTEGER,
            license TEXT,
            edition TEXT,
            rust_version TEXT,
            categories TEXT,
            keywords TEXT
        );
        CREATE TABLE crate_categories(slug TEXT NOT NULL, crate_id INTEGER NOT NULL, proxy REAL NOT NULL, ok INTEGER NOT NULL,
            PRIMARY KEY(slug, crate_id)) WITHOUT ROWID;
        CREATE TABLE crate_keywords(keyword TEXT NOT NULL, crate_id INTEGER NOT NULL, proxy REAL NOT NULL, ok INTEGER NOT NULL,
            PRIMARY KEY(keyword, crate_id)) WITHOUT ROWID;
        BEGIN;
        """

    static let insertVersion = """
        INSERT INTO versions(id, crate_id, num, created_at, yanked, downloads, license, edition, rust_version, categories, keywords)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
        """

    static let insertCrate = """
        INSERT INTO crates(id, name, canon, created_at, updated_at, description, repository, documentation, homepage,
            downloads, recent_downloads, downloads_pct, rev_deps, rev_deps_pct, versions, yanked_versions, first_release,
            latest_release, default_version_id, latest_version, owners, team_owners, categories, keywords, proxy, alt_ok,
            has_readme, dv_created_at, dv_yanked, dv_license, dv_edition, dv_rust_version, dv_categories, dv_keywords)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26,
            ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)
        """

    static let indexes = """
        CREATE UNIQUE INDEX crates_id ON crates(id);
        CREATE INDEX crates_canon ON crates(canon);
        CREATE INDEX versions_crate_num ON versions(crate_id, num);
        CREATE INDEX crate_categories_rank ON crate_categories(slug, ok, proxy DESC, crate_id);
        CREATE INDEX crate_keywords_rank ON crate_keywords(keyword, ok, proxy DESC, crate_id);
        """

    static func create(_ db: SQLiteDB) throws(NerqError) {
        try db.exec(create)
    }
}

import NerqCore
import NerqJSON
