package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux).
const clockTicks = 100

// cpuSeconds reads utime + stime (fields 14 and 15) of /proc/<pid>/stat.
func cpuSeconds(pid int) (float64, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	rest := string(raw[strings.LastIndexByte(string(raw), ')')+2:])
	fields := strings.Fields(rest) // fields[0] is field 3 (state)
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / clockTicks, nil
}

// MachineCPU is how busy all of the machine's cores were, over a window.
type MachineCPU struct {
	// BusySeconds is the CPU time the cores spent on any process (user,
	// nice, system, irq, softirq, steal), summed over the cores.
	BusySeconds float64 `json:"busySeconds"`
	// Share is BusySeconds over all the CPU time the cores had (busy + idle + iowait).
	Share float64 `json:"share"`
}

// share is c.Share, 0 when c was not measured.
func (c *MachineCPU) share() float64 {
	if c == nil {
		return 0
	}
	return c.Share
}

// machineCPUTimes reads the first line of /proc/stat: the machine's busy and
// total CPU seconds since boot, summed over its cores.
func machineCPUTimes() (busy, total float64, err error) {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseMachineCPU(string(raw))
}

// parseMachineCPU parses /proc/stat's "cpu user nice system idle iowait irq
// softirq steal ..." line (in USER_HZ); guest time is already in user.
func parseMachineCPU(stat string) (busy, total float64, err error) {
	line, _, _ := strings.Cut(stat, "\n")
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0, fmt.Errorf("unexpected /proc/stat line %q", line)
	}
	var ticks [8]float64
	for i := range ticks {
		if ticks[i], err = strconv.ParseFloat(fields[i+1], 64); err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: %w", err)
		}
	}
	idle := ticks[3] + ticks[4]
	busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7]
	return busy / clockTicks, (busy + idle) / clockTicks, nil
}

// machineCPUSince is the machine's CPU use since the times read before.
func machineCPUSince(busyBefore, totalBefore float64) (*MachineCPU, error) {
	busy, total, err := machineCPUTimes()
	if err != nil {
		return nil, err
	}
	return &MachineCPU{BusySeconds: busy - busyBefore, Share: ratio(busy-busyBefore, total-totalBefore)}, nil
}
