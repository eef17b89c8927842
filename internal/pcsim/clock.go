package pcsim

import (
	"sync"
	"time"

	"k8s.io/utils/clock"
)

// SimClock is a manually advanced clock shared by the simulator and the code under test, so
// "three business days", "30 minutes" and "7 days" pass in microseconds. It implements
// k8s.io/utils/clock.PassiveClock.
type SimClock struct {
	mu  sync.RWMutex
	now time.Time
}

var _ clock.PassiveClock = (*SimClock)(nil)

// NewSimClock returns a clock that reads start until advanced.
func NewSimClock(start time.Time) *SimClock { return &SimClock{now: start} }

// Now returns the simulated time.
func (c *SimClock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.now
}

// Since returns the simulated time elapsed since t.
func (c *SimClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Advance moves the clock forward by d (negative d is ignored: time never runs backwards).
func (c *SimClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
