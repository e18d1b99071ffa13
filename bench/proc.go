package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// procPath is /proc/<pid>/name, or /proc/self/name for pid 0.
func procPath(pid int, name string) string {
	p := "self"
	if pid != 0 {
		p = strconv.Itoa(pid)
	}
	return "/proc/" + p + "/" + name
}

// procStatus is a field of /proc/<pid>/status given in kB (VmRSS, VmHWM),
// in bytes; 0 when it cannot be read.
func procStatus(pid int, field string) uint64 {
	b, err := os.ReadFile(procPath(pid, "status"))
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		kb, _ := strconv.ParseUint(f[0], 10, 64)
		return kb * 1024
	}
	return 0
}

// peakRSS is the process's peak resident set size (VmHWM) since it
// started or since resetPeakRSS.
func peakRSS(pid int) uint64 { return procStatus(pid, "VmHWM") }

// resetPeakRSS starts the process's peak resident set size afresh from
// its current size (Linux: 5 to clear_refs). It reports whether it could.
func resetPeakRSS(pid int) bool {
	return os.WriteFile(procPath(pid, "clear_refs"), []byte("5"), 0) == nil
}

// mb is b in megabytes (10^6 bytes, as the other figures of the bench).
func mb(b uint64) float64 { return float64(b) / 1e6 }
