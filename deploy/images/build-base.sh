#!/usr/bin/env bash
# Builds a local base image for the TMS images: a jlinked Java runtime plus the C libraries it
# links against (a distroless-style root filesystem), saved as a `docker save` tarball that Jib
# takes as its base (-Djib.from.image=tar://OUTPUT_DIR/tms-jre-base.tar).
#
# Usage: deploy/images/build-base.sh OUTPUT_DIR
#
# Real builds use a standard Temurin JRE image (the poms' tms.image.base); this base is for machines
# that reach no container registry, and for the test suite's image check (tms-deploy-check), which
# caches it: the tar is rebuilt only when this script or the JDK changes.
# Needs: a JDK >= 25 (JAVA_HOME or java on the PATH: the agent's image runs with JDK 25 options,
# tms-cli's agent-jvm-25.options), tar, sha256sum, ldd.
set -euo pipefail

out="${1:?usage: build-base.sh OUTPUT_DIR}"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[ -x "$jdk/bin/jlink" ] || { echo "build-base: no jlink in $jdk (set JAVA_HOME to a JDK)" >&2; exit 2; }
feature="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
[ "${feature:-0}" -ge 25 ] || { echo "build-base: $jdk is JDK ${feature:-?}; the images need JDK 25+" >&2; exit 2; }

# What the images need of the JDK: SQL (JDBC), XML, HTTP client, JMX and OS metrics, naming (the
# PostgreSQL driver and logback look up JNDI), desktop (PDFBox draws BOLs with java.awt.geom),
# Kerberos (the PostgreSQL driver's GSS code), zipfs, jdk.unsupported (Jetty, Jackson), locale
# data and the DNS resolver.
modules="java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http"
modules+=",java.security.jgss,java.sql,java.xml,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs"
modules+=",jdk.localedata,jdk.crypto.cryptoki,jdk.jfr"
if "$jdk/bin/java" --list-modules | grep -q '^jdk.crypto.ec@'; then modules+=",jdk.crypto.ec"; fi

stamp="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)-$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 \
  | awk -F'= ' '/java.runtime.version/ {print $2}')"
tarball="$out/tms-jre-base.tar"
if [ -f "$tarball" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "build-base: $tarball is up to date"
  exit 0
fi

work="$out/work"
rm -rf "$work"
mkdir -p "$work/rootfs/opt" "$work/rootfs/etc" "$work/rootfs/tmp" "$work/image"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$work/rootfs/opt/java"

# The C libraries of every ELF file of the runtime, at the paths the dynamic linker looks for them.
while read -r lib; do
  mkdir -p "$work/rootfs$(dirname "$lib")"
  cp -L "$lib" "$work/rootfs$lib"
done < <(find "$work/rootfs/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -exec ldd {} \; 2>/dev/null \
  | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | sort -u)
# libnss (name service) and libgcc_s (thread cancellation) are loaded with dlopen: ldd misses them.
for lib in /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 \
           /lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/x86_64-linux-gnu/libresolv.so.2; do
  if [ -e "$lib" ]; then mkdir -p "$work/rootfs$(dirname "$lib")"; cp -L "$lib" "$work/rootfs$lib"; fi
done

cat >"$work/rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat >"$work/rootfs/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
echo "hosts: files dns" >"$work/rootfs/etc/nsswitch.conf"
chmod 1777 "$work/rootfs/tmp"

# One layer, reproducible: fixed owner, order and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00:00Z' \
  -C "$work/rootfs" -cf "$work/image/layer.tar" .
diff_id="sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"
version="$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')"
cat >"$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"2000-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
  "User":"65532:65532","Labels":{"org.opencontainers.image.title":"tms-jre-base","tms.java.version":"$version"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"2000-01-01T00:00:00Z","created_by":"deploy/images/build-base.sh (jlink $version)"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["tms-jre-base:local"],"Layers":["layer.tar"]}]' >"$work/image/manifest.json"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00:00Z' \
  -C "$work/image" -cf "$tarball.tmp" manifest.json config.json layer.tar
mv -f "$tarball.tmp" "$tarball"
echo "$stamp" >"$out/.stamp"
rm -rf "$work"
echo "build-base: wrote $tarball ($(du -h "$tarball" | cut -f1), Java $version)"
