/// The HTML report's only stylesheet, inlined so the page is one self-contained file.
/// Colours are CSS variables so the charts (inline SVG, styled by class) follow the light
/// or dark scheme and print in black-friendly tones.
enum HTMLStyle {
    static let css = """
    :root {
      color-scheme: light dark;
      --bg: #ffffff; --fg: #1d2430; --muted: #5b6576; --rule: #d9dee7; --panel: #f6f8fb;
      --pass-bg: #e7f6ec; --pass-fg: #17603a; --pass-edge: #2f9e5b;
      --fail-bg: #fdecec; --fail-fg: #8f1d1d; --fail-edge: #d64545;
      --warn-bg: #fff5dd; --warn-fg: #7a5300; --warn-edge: #d99a00;
      --band-too_close: #d64545; --band-fair: #d99a00; --band-large_difference: #3a7bd5; --band-distant: #8a94a6;
      --tint-too_close: rgba(214, 69, 69, 0.13); --tint-fair: rgba(217, 154, 0, 0.13);
      --tint-large_difference: rgba(58, 123, 213, 0.11); --tint-distant: rgba(138, 148, 166, 0.10);
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --bg: #14181f; --fg: #e4e8ef; --muted: #9aa4b5; --rule: #2e3542; --panel: #1b212b;
        --pass-bg: #12301f; --pass-fg: #9fe3b8; --fail-bg: #3a1616; --fail-fg: #ffb4b4; --warn-bg: #382a08; --warn-fg: #ffd98a;
      }
    }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--bg); color: var(--fg);
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
    main { max-width: 1040px; margin: 0 auto; padding: 32px 28px 48px; }
    h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
    h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
    h3 { font-size: 16px; margin: 20px 0 6px; }
    p, li { max-width: 78ch; }
    .subtitle { color: var(--muted); margin: 0 0 20px; }
    code, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, monospace; font-size: 0.88em; overflow-wrap: anywhere; }
    .banner { display: flex; gap: 18px; align-items: flex-start; border: 1px solid; border-left-width: 8px;
      border-radius: 8px; padding: 18px 22px; margin: 8px 0 8px; }
    .banner.pass { background: var(--pass-bg); color: var(--pass-fg); border-color: var(--pass-edge); }
    .banner.fail { background: var(--fail-bg); color: var(--fail-fg); border-color: var(--fail-edge); }
    .banner .mark { font-size: 34px; line-height: 1; font-weight: 700; }
    .banner .headline { font-size: 20px; font-weight: 700; margin: 0 0 4px; }
    .banner p { margin: 0; color: inherit; }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 16px 0 0; padding: 14px 18px;
      background: var(--panel); border-radius: 8px; }
    .facts dt { color: var(--muted); }
    .facts dd { margin: 0; }
    table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 14px; }
    th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; }
    th { color: var(--muted); font-weight: 600; font-size: 12.5px; text-transform: uppercase; letter-spacing: 0.03em; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12.5px; font-weight: 600; white-space: nowrap; border: 1px solid; }
    .pill.met { background: var(--pass-bg); color: var(--pass-fg); border-color: var(--pass-edge); }
    .pill.unmet, .pill.error { background: var(--fail-bg); color: var(--fail-fg); border-color: var(--fail-edge); }
    .pill.unverifiable, .pill.warning { background: var(--warn-bg); color: var(--warn-fg); border-color: var(--warn-edge); }
    .pill.info { background: var(--panel); color: var(--muted); border-color: var(--rule); }
    .band { font-weight: 600; white-space: nowrap; }
    .caption .band { font-weight: 500; margin-right: 12px; }
    .band::before { content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 6px; background: var(--band-c); }
    .band.too_close { --band-c: var(--band-too_close); } .band.fair { --band-c: var(--band-fair); }
    .band.large_difference { --band-c: var(--band-large_difference); } .band.distant { --band-c: var(--band-distant); }
    .chart { width: 100%; height: auto; display: block; margin: 6px 0 2px; font-family: inherit; }
    .chart text { fill: var(--fg); font-size: 12px; }
    .chart .muted { fill: var(--muted); }
    .chart .small { font-size: 10.5px; }
    .chart .bold { font-weight: 600; }
    .chart .axis { stroke: var(--muted); stroke-width: 1; }
    .chart .grid { stroke: var(--rule); stroke-width: 1; }
    .chart .threshold { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 4 3; }
    .chart .bg-too_close { fill: var(--tint-too_close); } .chart .bg-fair { fill: var(--tint-fair); }
    .chart .bg-large_difference { fill: var(--tint-large_difference); } .chart .bg-distant { fill: var(--tint-distant); }
    .chart .fill-too_close { fill: var(--band-too_close); } .chart .fill-fair { fill: var(--band-fair); }
    .chart .fill-large_difference { fill: var(--band-large_difference); } .chart .fill-distant { fill: var(--band-distant); }
    .chart .whisker { stroke: var(--fg); stroke-width: 1.5; }
    .chart .line { fill: none; stroke: var(--muted); stroke-width: 1.5; }
    .chart .panel { fill: none; stroke: var(--rule); }
    .caption { color: var(--muted); font-size: 13px; margin: 2px 0 10px; }
    details { margin: 8px 0; }
    summary { cursor: pointer; color: var(--muted); }
    .evidence li { margin: 3px 0; }
    .path { color: var(--muted); }
    blockquote.disclaimer { margin: 14px 0; padding: 12px 16px; border-left: 4px solid var(--warn-edge); background: var(--warn-bg); color: var(--warn-fg); border-radius: 4px; }
    pre.yaml { background: var(--panel); padding: 12px 14px; border-radius: 6px; overflow-x: auto; font-size: 13px; }
    footer { margin-top: 40px; padding-top: 14px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 13px; }
    footer table { font-size: 12.5px; }
    @media print {
      body { font-size: 11pt; background: #fff; color: #000; }
      main { max-width: none; padding: 0; }
      h2 { break-after: avoid; }
      table, svg, .banner { break-inside: avoid; }
      details { display: block; }
    }
    """
}
