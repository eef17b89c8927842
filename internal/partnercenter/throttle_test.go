package partnercenter

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// heldTransport answers each request with the status the test releases.
type heldTransport struct {
	sent    atomic.Int32
	release chan int
}

func (h *heldTransport) Do(*http.Request) (*http.Response, error) {
	h.sent.Add(1)
	status := <-h.release
	return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {"7"}}, Body: http.NoBody}, nil
}

// fakeClock is a settable clock for the gate.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func TestThrottleGate(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 23, 3, 0, 0, 0, time.UTC)}
	next := &heldTransport{release: make(chan int, 4)}
	gate := newThrottleGate(clock.now)
	// The gate alone in front of the transport: no retries, no telemetry.
	pl := runtime.NewPipeline("gate-test", "v0", runtime.PipelineOptions{PerRetry: []policy.Policy{gate}},
		&policy.ClientOptions{Transport: next, Retry: policy.RetryOptions{MaxRetries: -1}, Telemetry: policy.TelemetryOptions{Disabled: true}})
	do := func(ctx context.Context) error {
		req, err := runtime.NewRequest(ctx, http.MethodGet, "http://pc.example/v1/customers")
		if err != nil {
			return err
		}
		_, err = pl.Do(req)
		return err
	}
	// start sends a call in the background; its error arrives on the channel.
	start := func() chan error {
		done := make(chan error, 1)
		go func() { done <- do(context.Background()) }()
		return done
	}
	waitSent := func(n int32) {
		for next.sent.Load() < n {
			time.Sleep(time.Millisecond)
		}
	}

	next.release <- http.StatusTooManyRequests
	if err := do(context.Background()); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := do(cancelled); err == nil || next.sent.Load() != 1 {
		t.Fatalf("a call during the Retry-After went out (error %v, %d calls sent)", err, next.sent.Load())
	}

	clock.advance(8 * time.Second) // the hold is over, the account still recovering: one call at a time
	first := start()
	waitSent(2)
	second := start()
	time.Sleep(50 * time.Millisecond)
	if n := next.sent.Load(); n != 2 {
		t.Fatalf("%d calls sent while another was in flight during the recovery, want 2", n)
	}
	next.release <- http.StatusOK
	waitSent(3)
	next.release <- http.StatusOK
	if err := errors.Join(<-first, <-second); err != nil {
		t.Fatal(err)
	}

	clock.advance(calmWindow) // calm: calls run side by side again
	third, fourth := start(), start()
	waitSent(5)
	next.release <- http.StatusOK
	next.release <- http.StatusOK
	if err := errors.Join(<-third, <-fourth); err != nil {
		t.Fatal(err)
	}
}

// TestEveryClientHoldsTheAccountDuringARetryAfter: a Client from New puts
// every call of the account, whatever its credential, behind one gate: after
// a 429 with Retry-After 1 s, the next call (another operation, through the
// App+User pipeline) reaches the server no sooner than that second.
func TestEveryClientHoldsTheAccountDuringARetryAfter(t *testing.T) {
	srv := newFakeServer(t, throttleReply("1"), reply{status: http.StatusOK, body: `{}`})
	c := newTestClient(t, srv.URL, func(o *Options) { o.MaxInlineRetryAfter = time.Millisecond })
	ctx := context.Background()
	if _, err := c.GetCustomer(ctx, "cust-1"); err == nil {
		t.Fatal("the 429 was not returned")
	}
	if _, err := c.ListAgreements(ctx, "cust-1"); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.seen) != 2 {
		t.Fatalf("%d requests reached the server, want 2", len(srv.seen))
	}
	if gap := srv.seen[1].At.Sub(srv.seen[0].At); gap < 900*time.Millisecond {
		t.Fatalf("the next call went out %v after the 429, inside its 1 s Retry-After", gap)
	}
}
