#!/usr/bin/env bash
# Fetch pinned Leaflet, Leaflet.markercluster and jQuery from the npm registry into
# static/vendor/, which Streamlit serves at /app/static/vendor/. The map then needs no CDN.
# axe-core goes to tests/browser/vendor/: the browser tests inject it, readers never get it.
# Third-party files are fetched, never committed (both folders are git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=static/vendor
stamp="$dest/.versions"
axe=tests/browser/vendor
versions="leaflet@1.9.3 leaflet.markercluster@1.5.3 leaflet.featuregroup.subgroup@1.0.2 jquery@3.7.1 axe-core@4.14.1"
# The map's frame loads its scripts one after another: Leaflet and markercluster as one file
# is one round trip instead of two.
bundle() {
  mkdir -p "$1/map"
  cat "$1/leaflet/leaflet.js" <(printf '\n;\n') "$1/markercluster/leaflet.markercluster.js" \
    > "$1/map/leaflet-markercluster.js"
}
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$versions" ]; then
  [ -f "$dest/map/leaflet-markercluster.js" ] || bundle "$dest"
  [ -f "$axe/axe.min.js" ] && exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent $versions >/dev/null)
rm -rf "$dest.new" && mkdir -p "$dest.new"
for tarball in "$work"/*.tgz; do
  name=$(basename "$tarball" .tgz)
  mkdir -p "$work/$name" && tar -xzf "$tarball" -C "$work/$name"
done
cp -r "$work"/leaflet-1.9.3/package/dist "$dest.new/leaflet"
cp -r "$work"/leaflet.markercluster-1.5.3/package/dist "$dest.new/markercluster"
cp -r "$work"/leaflet.featuregroup.subgroup-1.0.2/package/dist "$dest.new/subgroup"
mkdir -p "$dest.new/jquery" && cp "$work"/jquery-3.7.1/package/dist/jquery.min.js "$dest.new/jquery/"
bundle "$dest.new"
mkdir -p "$axe" && cp "$work"/axe-core-4.14.1/package/axe.min.js "$axe/axe.min.js.new"
mv "$axe/axe.min.js.new" "$axe/axe.min.js"
echo "$versions" > "$dest.new/.versions"
rm -rf "$dest" && mv "$dest.new" "$dest"
echo "vendor assets in $dest: $versions"
