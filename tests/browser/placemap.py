"""Browser-side probes of the place layer (geo/web/static/placemap.js) inside the map iframe."""

from __future__ import annotations

from playwright.sync_api import Frame

# Every marker the place layer's cluster group holds, drawn singly, clustered or off-screen.
CLUSTERED_MARKERS_JS = "() => window.placeMap.cluster.getLayers().length"

# Inside the map iframe: record every render message streamlit-folium gets from now on (the
# script it carries, and whether it carried a selection), and mark this document, so a test
# can tell that later selections re-ran nothing and replaced nothing.
WATCH_RENDERS_JS = """() => {
  window.__probe = window.placeMap;
  window.__renders = [];
  window.Streamlit.events.addEventListener(window.Streamlit.RENDER_EVENT, (event) => {
    window.__renders.push({script: event.detail.args.script,
                           command: event.detail.args.feature_group});
  });
}"""

RENDERS_JS = "() => window.__renders"
SAME_MAP_JS = "() => window.__probe === window.placeMap && !!window.placeMap.ready"


def watch_renders(frame: Frame) -> None:
    frame.wait_for_function("() => window.placeMap && window.placeMap.ready")
    frame.evaluate(WATCH_RENDERS_JS)
