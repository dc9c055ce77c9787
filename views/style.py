"""The dashboard's style sheet: our HTML (panel, article, controls) and a few of Streamlit's
elements, darker or placed where readers need them."""

# Captions are darker than Streamlit's (grey at 60 % opacity: 3.9:1 on white, under WCAG's 4.5:1).
STYLE = """<style>
mark{background:#ffe066;padding:0 .1em}
.mention-excerpt{border-left:3px solid #bbb;margin:.6em 0;padding:.2em .8em;font-size:.95em}
.place-meta{color:#555;font-size:.9em}.note{background:#fff4e5;padding:.4em .6em;border-radius:4px}
.private{color:#a4161a;font-weight:600}
a.mention{background:#e7f5ff;color:inherit;text-decoration:none;border-bottom:2px solid #4dabf7}
a.mention.focus{background:#ffe066;border-bottom-color:#f08c00;outline:2px solid #f08c00}
figcaption.caption{font-style:italic;color:#555;border-left:3px solid #ced4da;padding-left:.6em;
  margin:1em 0}
h3.heading{margin-top:1.2em}
.article-view{max-width:46em;margin:auto;font-size:1.05em;line-height:1.6}
.review-article{white-space:pre-wrap;line-height:1.6}
mark.cand.pending{background:#ffe066}mark.cand.accepted,mark.cand.merged{background:#b2f2bb}
mark.cand.rejected{background:#e9ecef;text-decoration:line-through}
mark.cand.focus{outline:2px solid #f08c00}
.st-key-back-to-map{position:fixed;bottom:1.5em;right:1.5em;z-index:1000;width:auto;
  background:#fff;padding:0 .4em;border-radius:2em;box-shadow:0 1px 6px rgba(0,0,0,.3)}
.st-key-same-session-links{display:none}
[data-testid="stCaptionContainer"]{color:#555;opacity:1}
.sr-only,.st-key-live-region{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
  white-space:nowrap}
.place-list h3{font-size:1rem;margin:.6em 0 .2em}.place-list ul{margin:0;padding-left:1.2em}
.place-list a[aria-current]{font-weight:700}
div:has(> .st-key-editor){order:99}
form.filters label.search{display:block;font-size:.875rem;margin-bottom:.25em}
form.filters input[type=search]{width:100%;box-sizing:border-box;padding:.45em .6em;font:inherit;
  border:1px solid #8a8f98;border-radius:.4em}
form.filters details{margin:.5em 0}form.filters summary{cursor:pointer;padding:.3em 0;min-height:24px}
form.filters fieldset{border:0;margin:0;padding:0 0 0 .4em;max-height:14em;overflow:auto}
form.filters fieldset label{display:flex;gap:.4em;align-items:center;min-height:28px}
form.filters input[type=checkbox]{width:18px;height:18px}
form.filters button,nav.tour .step{font:inherit;padding:.4em .9em;border:1px solid #8a8f98;
  border-radius:.5em;background:#fff;color:inherit;text-decoration:none;cursor:pointer;min-height:24px}
nav.tour{display:flex;align-items:center;justify-content:space-between;gap:.5em}
nav.tour .position{text-align:center}
div.extent a,div.group-by a{padding:.1em .3em}div.extent a[aria-current],div.group-by a[aria-current]{
  font-weight:700;color:inherit;text-decoration:none}
p.switch a{text-decoration:none;font-weight:600}p.switch{margin:.3em 0}
h3.place-name{scroll-margin-top:72px}
.layer-badge{display:inline-block;font-size:.85em;border:1px solid #212529;border-radius:3px;
  padding:0 .4em}.period-source{color:#555;font-size:.85em}
div.timeline a{padding:.1em .3em}div.timeline a[aria-current]{font-weight:700;color:inherit;
  text-decoration:none}
form.filters fieldset.years{display:flex;gap:.4em;align-items:center;flex-wrap:wrap}
form.filters fieldset.years input{width:5.5em;padding:.3em;font:inherit}
.just-selected{animation:just-selected 1.6s ease-out}
@keyframes just-selected{from{background:#fff3bf}to{background:transparent}}
</style>"""
