/// The pages' style sheet and their one optional script, inlined so that a page is one file that
/// needs no network. No line of either starts with `::` (WorkflowGuard would have to change it,
/// and a style sheet does not read character references).
enum HTMLStyle {
    static let css = """
    :root{--bg:#f6f8fa;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#eef1f4;--accent:#0969da;\
    --safe:#1a7f37;--safe-bg:#dafbe1;--caution:#9a6700;--caution-bg:#fff8c5;--warning:#bc4c00;--warning-bg:#fff1e5;\
    --avoid:#cf222e;--avoid-bg:#ffebe9;--unknown:#6e7781;--unknown-bg:#eff2f5;--code:#f6f8fa}
    @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#151b23;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;\
    --soft:#262c36;--accent:#4493f8;--safe:#3fb950;--safe-bg:#12261e;--caution:#d29922;--caution-bg:#272115;\
    --warning:#f0883e;--warning-bg:#2d1d12;--avoid:#f85149;--avoid-bg:#2d1517;--unknown:#9198a1;--unknown-bg:#262c36;--code:#0d1117}}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
    body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:break-word}
    h1,h2,h3,p,li,dd,dt,summary,figcaption,code,pre{overflow-wrap:anywhere}td{overflow-wrap:break-word}
    a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
    .wrap{max-width:1120px;margin:0 auto;padding:0 16px}
    .site{background:var(--card);border-bottom:1px solid var(--line)}
    .site .wrap{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:baseline;padding-top:10px;padding-bottom:10px}
    .brand{font-weight:800;letter-spacing:.02em;font-size:18px}.brand span{color:var(--accent)}
    .site .meta{color:var(--muted);font-size:13px;margin-left:auto}
    main{padding:18px 0 8px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin:0 0 16px}
    h1{font-size:30px;line-height:1.2;margin:2px 0 10px}
    h2{font-size:20px;margin:0 0 10px}h3{font-size:16px;margin:0 0 6px}
    p{margin:0 0 10px}
    .eyebrow{color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.06em;margin-bottom:2px}
    .muted{color:var(--muted)}.small{font-size:13px}
    .hero{display:grid;grid-template-columns:220px 1fr;gap:8px 24px;align-items:center}
    .hero .gauge{width:100%;max-width:220px;margin:0 auto}
    .badges{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 10px}
    .badge,.chip{display:inline-block;border-radius:999px;padding:2px 10px;font-size:13px;font-weight:600;border:1px solid var(--line);background:var(--soft)}
    .badge{font-size:14px;padding:3px 12px;border:0}
    .v-safe.badge{background:var(--safe-bg);color:var(--safe)}.v-caution.badge{background:var(--caution-bg);color:var(--caution)}
    .v-warning.badge{background:var(--warning-bg);color:var(--warning)}.v-avoid.badge{background:var(--avoid-bg);color:var(--avoid)}
    .v-unknown.badge{background:var(--unknown-bg);color:var(--unknown)}
    .lead{font-size:17px}
    .meaning{border-left:4px solid var(--line);padding:4px 0 4px 12px;color:var(--fg)}
    .meaning.v-safe{border-color:var(--safe)}.meaning.v-caution{border-color:var(--caution)}.meaning.v-warning{border-color:var(--warning)}
    .meaning.v-avoid{border-color:var(--avoid)}.meaning.v-unknown{border-color:var(--unknown)}
    nav.toc{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:14px;padding:12px 20px}
    nav.toc strong{color:var(--muted);font-weight:600}
    .grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px 28px;align-items:start}
    .grid3{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:18px 24px;align-items:start}
    .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px;margin:12px 0 0}
    .tile{border:1px solid var(--line);border-radius:10px;padding:10px 12px;background:var(--soft)}
    .tile b{display:block;font-size:22px;line-height:1.2}.tile span{color:var(--muted);font-size:13px}
    figure{margin:0}figcaption{color:var(--muted);font-size:13px;margin-top:4px}
    svg.chart{display:block;width:100%;height:auto;max-width:520px;font-family:inherit}
    svg .track{fill:var(--soft);stroke:var(--soft)}svg .hatch{fill:var(--line)}
    svg .label{font-size:14px;fill:var(--fg);font-weight:600}svg .note{font-size:12px;fill:var(--muted);font-weight:400}
    svg .value{font-size:13px;fill:var(--fg)}svg .tick{font-size:10px;fill:var(--muted)}svg .axis{stroke:var(--line)}
    svg .big{font-size:34px;font-weight:800;fill:var(--fg)}svg .small{font-size:12px;fill:var(--muted)}
    svg.columns .label{font-size:12px}
    .scale{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 18px;font-size:14px}
    .scale li{display:flex;justify-content:space-between;border-bottom:1px solid var(--line);padding:5px 2px}
    .gauge .fill.v-safe,.gauge .fill.v-caution,.gauge .fill.v-warning,.gauge .fill.v-avoid,.gauge .fill.v-unknown{fill:none}
    .gauge .track{fill:none;stroke:var(--soft)}
    .gauge .v-safe{stroke:var(--safe)}.gauge .v-caution{stroke:var(--caution)}.gauge .v-warning{stroke:var(--warning)}
    .gauge .v-avoid{stroke:var(--avoid)}.gauge .v-unknown{stroke:var(--unknown)}
    .fill.v-safe,.fill.band-good{fill:var(--safe)}.fill.v-caution,.fill.band-fair{fill:var(--caution)}
    .fill.v-warning,.fill.band-weak{fill:var(--warning)}.fill.v-avoid,.fill.band-poor{fill:var(--avoid)}
    .fill.v-unknown,.fill.band-none{fill:var(--unknown)}.fill.k-any{fill:var(--accent)}
    .fill.s-critical,.fill.s-high{fill:var(--avoid)}.fill.s-medium{fill:var(--warning)}.fill.s-low{fill:var(--caution)}.fill.s-info{fill:var(--unknown)}
    table{border-collapse:collapse;width:100%;font-size:14px}
    th,td{text-align:left;vertical-align:top;padding:7px 10px;border-bottom:1px solid var(--line)}
    th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:700;background:var(--soft)}
    td.num,th.num{text-align:right;white-space:nowrap}
    .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:10px}
    .scroll.wide table{min-width:760px}.scroll th:first-child,.scroll td:first-child{padding-left:12px}
    .scroll tr:last-child td{border-bottom:0}
    table.compact td,table.compact th{padding:5px 8px}
    ul.signals{list-style:none;margin:0;padding:0}ul.signals li{margin:1px 0}
    .pts{display:inline-block;min-width:52px;font-variant-numeric:tabular-nums;font-weight:700;font-size:13px}
    .pts.pos{color:var(--safe)}.pts.neg{color:var(--avoid)}.pts.zero{color:var(--muted)}
    .meter{display:inline-block;width:64px;height:8px;border-radius:4px;background:var(--soft);vertical-align:middle;margin-right:8px;overflow:hidden}
    .meter i{display:block;height:100%;border-radius:4px}
    .meter i.v-safe,.meter i.band-good{background:var(--safe)}.meter i.v-caution,.meter i.band-fair{background:var(--caution)}
    .meter i.v-warning,.meter i.band-weak{background:var(--warning)}.meter i.v-avoid,.meter i.band-poor{background:var(--avoid)}
    .meter i.v-unknown,.meter i.band-none{background:var(--unknown)}
    .vtext{font-weight:700}.vtext.v-safe{color:var(--safe)}.vtext.v-caution{color:var(--caution)}.vtext.v-warning{color:var(--warning)}
    .vtext.v-avoid{color:var(--avoid)}.vtext.v-unknown{color:var(--unknown)}
    .sev{display:inline-block;border-radius:6px;padding:0 7px;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.03em;background:var(--unknown-bg);color:var(--unknown)}
    .sev.s-critical,.sev.s-high{background:var(--avoid-bg);color:var(--avoid)}.sev.s-medium{background:var(--warning-bg);color:var(--warning)}
    .sev.s-low{background:var(--caution-bg);color:var(--caution)}
    .finding{border:1px solid var(--line);border-left-width:4px;border-radius:10px;padding:12px 14px;margin:0 0 12px}
    .finding.s-critical,.finding.s-high{border-left-color:var(--avoid)}.finding.s-medium{border-left-color:var(--warning)}
    .finding.s-low{border-left-color:var(--caution)}
    .finding .head{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;margin-bottom:4px;font-size:14px;overflow-wrap:anywhere}
    .finding .head>*{min-width:0}table.fixed{table-layout:fixed}
    dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:3px 14px;margin:6px 0 0;font-size:14px}
    dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
    .callout{border-radius:10px;padding:10px 14px;margin:0 0 12px;background:var(--soft)}.callout p{margin:2px 0}
    .callout.v-avoid{background:var(--avoid-bg)}.callout.v-caution{background:var(--caution-bg)}.callout.v-warning{background:var(--warning-bg)}
    code,pre{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:13px}
    code{background:var(--code);border:1px solid var(--line);border-radius:5px;padding:0 4px}
    pre{background:var(--code);border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:6px 0 12px;white-space:pre-wrap;overflow-wrap:anywhere}
    pre code{border:0;padding:0;background:none}
    details{margin:6px 0}summary{cursor:pointer;font-weight:600}
    ol.evidence{margin:6px 0 8px;padding-left:22px;font-size:13px}ol.evidence li{margin:3px 0}
    ol.evidence code.snippet{display:block;white-space:pre-wrap;margin-top:2px}
    .counts{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 12px}
    .counts .tile{min-width:110px}
    table.reach td:first-child{font-weight:600}table.reach th:first-child{width:32%}
    .yes{color:var(--warning);font-weight:700}.no{color:var(--safe);font-weight:600}.na{color:var(--muted)}
    ol.steps{padding-left:22px}ol.steps li{margin:0 0 10px}
    .pkg{scroll-margin-top:12px}
    .pkg .badges{margin:4px 0 8px}
    .pkg h3{font-size:18px}
    .top{font-size:13px}
    th button{all:inherit;cursor:pointer}th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
    h2.part{margin:22px 4px 12px}.nowrap{white-space:nowrap}
    footer{color:var(--muted);font-size:13px;padding:4px 0 28px}
    @media (max-width:760px){h1{font-size:25px}.hero{grid-template-columns:1fr}.hero .gauge{max-width:200px}
    .grid2,.grid3{grid-template-columns:minmax(0,1fr)}.card{padding:14px 14px;border-radius:10px}
    dl.facts{grid-template-columns:minmax(0,1fr)}dl.facts dt{margin-top:4px}.site .meta{margin-left:0}
    table.dims thead{display:none}table.dims,table.dims tbody,table.dims tr{display:block}
    table.dims tr{border-bottom:1px solid var(--line);padding:8px 10px}table.dims tr:last-child{border-bottom:0}
    table.dims td{display:inline-block;border:0;padding:0 12px 0 0}table.dims td:first-child{font-weight:700;padding-left:0}
    table.dims td:nth-child(3)::before{content:"weight "}table.dims td:last-child{display:block;padding:4px 0 0}}
    """

    /// Sorting by a column header, when scripts run (the table is already sorted worst first).
    static let script = """
    (function(){document.querySelectorAll("table.sortable").forEach(function(t){var hs=t.querySelectorAll("th[data-sort]");
    hs.forEach(function(th){var b=document.createElement("button");b.type="button";b.textContent=th.textContent;th.textContent="";th.appendChild(b);
    b.addEventListener("click",function(){var c=th.cellIndex,num=th.getAttribute("data-sort")==="num",tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);
    var d=th.getAttribute("aria-sort")==="ascending"?-1:1;hs.forEach(function(x){x.removeAttribute("aria-sort")});
    th.setAttribute("aria-sort",d>0?"ascending":"descending");
    rows.sort(function(a,b){var x=a.cells[c].getAttribute("data-v")||"",y=b.cells[c].getAttribute("data-v")||"";
    if(num){x=parseFloat(x);y=parseFloat(y);if(isNaN(x))x=1e9;if(isNaN(y))y=1e9;return (x-y)*d}return x<y?-d:x>y?d:0});
    rows.forEach(function(r){tb.appendChild(r)})})})})})();
    """
}
