#!/bin/sh
# Replaces public_suffix_list.dat.gz, next to this script, with a copy of the Public Suffix List.
#
# Usage: api/src/main/resources/dev/courier/internal/publicsuffix/refresh-public-suffix-list.sh [SOURCE]
#
# SOURCE is a file or an https:// URL. It defaults to /usr/share/publicsuffix/public_suffix_list.dat,
# installed by the Debian package "publicsuffix". The upstream list is
# https://publicsuffix.org/list/public_suffix_list.dat.
# Then update "The copy shipped" in README.md with the source, its version or date, and the SHA-256
# and rule count this script prints, run the api tests (PublicSuffixListTest checks the known
# suffixes still hold), and commit both files.
set -eu

source=${1:-/usr/share/publicsuffix/public_suffix_list.dat}
dir=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

case $source in
  https://*)
    curl --fail --silent --show-error --location --proto-redir '=https' "$source" -o "$tmp"
    ;;
  *://*)
    echo "refusing $source: only https:// URLs or local files" >&2
    exit 1
    ;;
  *)
    cp "$source" "$tmp"
    ;;
esac

# Refuse anything that is not the list, such as an error page served with status 200.
grep -q '^// ===BEGIN ICANN DOMAINS===' "$tmp"
grep -q '^// ===END PRIVATE DOMAINS===' "$tmp"

# -n leaves out the file name and time, so the same list always gives the same bytes.
gzip -9 -n -c "$tmp" > "$dir/public_suffix_list.dat.gz"

echo "Took $source on $(date -u +%Y-%m-%d)"
if [ "$source" = /usr/share/publicsuffix/public_suffix_list.dat ] && command -v dpkg-query >/dev/null; then
  echo "Debian package publicsuffix $(dpkg-query -W -f '${Version}' publicsuffix 2>/dev/null || echo '(version unknown)')"
fi
echo "SHA-256 of the list: $(sha256sum "$tmp" | cut -d ' ' -f 1)"
echo "Rules: $(grep -cv -e '^//' -e '^[[:space:]]*$' "$tmp")"
