#!/usr/bin/env bash
# sample.sh PID PORT INTERVAL_S OUT: one line per sample until PID exits:
#   epoch rss_kb hwm_kb threads fds heap_used_mb nonheap_used_mb direct_mb load1
# (heap, non-heap and direct buffers from the gateway's own /metrics).
pid=$1 port=$2 every=$3 out=$4
echo "epoch rss_kb hwm_kb threads fds heap_used_mb nonheap_used_mb direct_mb load1" > "$out"
while kill -0 "$pid" 2>/dev/null; do
  read -r rss hwm thr < <(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } /^Threads:/ { t = $2 } END { print r, h, t }' "/proc/$pid/status" 2>/dev/null)
  fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
  mem=$(curl -s -m 5 "http://127.0.0.1:$port/metrics" | awk '
    /^jvm_memory_used_bytes\{.*area="heap"/ { h += $NF }
    /^jvm_memory_used_bytes\{.*area="nonheap"/ { n += $NF }
    /^jvm_buffer_memory_used_bytes\{.*id="direct"/ { d += $NF }
    END { printf "%.1f %.1f %.1f", h / 1048576, n / 1048576, d / 1048576 }')
  [ -n "$rss" ] && echo "$(date +%s) $rss $hwm $thr $fds ${mem:-- - -} $(cut -d' ' -f1 /proc/loadavg)" >> "$out"
  sleep "$every"
done
