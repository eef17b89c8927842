package partnercenter

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// throttleGate holds every request of the partner account while a
// Retry-After it was given is running. Partner Center throttles per partner
// tenant: once one call is answered 429, a call from another reconcile
// before the deadline is a violation that only prolongs the throttling
// (`make bench` counts them with the simulator). The retry policy waits out
// the Retry-After for the call that got it; the gate makes the other
// concurrent callers wait too. After a 429 the gate also lets only one call
// be in flight at a time until calmWindow passes without another: calls sent
// side by side while the account is being throttled are answered after the
// next 429 and land inside its hold (measured: 881 such calls in the
// throttled N=100 run when all callers were released together after a hold).
// One gate serves all the pipelines of a Client (one partner account).
type throttleGate struct {
	now func() time.Time

	mu sync.Mutex
	// until is the end of the running hold.
	until time.Time
	// lastThrottled is when the last 429 was answered (zero: never).
	lastThrottled time.Time
	// inFlight counts the calls sent and not answered yet.
	inFlight int
	// changed is closed (and replaced) when a call is answered, so waiters look again.
	changed chan struct{}
}

// calmWindow is how long the account goes without a 429 before calls may
// run side by side again.
const calmWindow = time.Minute

// newThrottleGate builds a gate reading the time from now.
func newThrottleGate(now func() time.Time) *throttleGate {
	return &throttleGate{now: now, changed: make(chan struct{})}
}

// Do implements policy.Policy: it runs on every try, just before the request is sent.
func (g *throttleGate) Do(req *policy.Request) (*http.Response, error) {
	if err := g.admit(req.Raw().Context()); err != nil {
		return nil, err
	}
	resp, err := req.Next()
	throttled := err == nil && resp.StatusCode == http.StatusTooManyRequests
	var hold time.Duration
	if throttled {
		hold = retryAfter(resp.Header, g.now())
	}
	g.answered(throttled, hold)
	return resp, err
}

// admit blocks until the call may be sent (or ctx ends): no hold running,
// and, while the account is recovering from a 429, no other call in flight.
func (g *throttleGate) admit(ctx context.Context) error {
	for {
		g.mu.Lock()
		now := g.now()
		left := g.until.Sub(now)
		recovering := !g.lastThrottled.IsZero() && now.Sub(g.lastThrottled) < calmWindow
		if left <= 0 && (!recovering || g.inFlight == 0) {
			g.inFlight++
			g.mu.Unlock()
			return nil
		}
		changed := g.changed
		g.mu.Unlock()
		if err := pause(ctx, left, changed); err != nil {
			return err
		}
	}
}

// pause waits until a running hold is over (d > 0) or a call is answered.
func pause(ctx context.Context, d time.Duration, changed <-chan struct{}) error {
	var holdOver <-chan time.Time
	if d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		holdOver = timer.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-holdOver:
	case <-changed:
	}
	return nil
}

// answered records a call's answer: a 429 starts (or extends) a hold and
// the recovery; the waiters look again.
func (g *throttleGate) answered(throttled bool, hold time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inFlight--
	if throttled {
		now := g.now()
		g.lastThrottled = now
		if until := now.Add(hold); until.After(g.until) {
			g.until = until
		}
	}
	close(g.changed)
	g.changed = make(chan struct{})
}
