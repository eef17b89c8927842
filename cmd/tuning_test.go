package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
)

func TestConcurrencyFlag(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    map[string]int
		wantErr bool
	}{
		{value: "4", want: map[string]int{"Customer": 4, "MCAAttestation": 4, "ResellerPartnership": 4, "Subscription": 4}},
		{value: "2,Customer=8", want: map[string]int{"Customer": 8, "MCAAttestation": 2, "ResellerPartnership": 2, "Subscription": 2}},
		{value: "Subscription=3", want: map[string]int{"Customer": defaultWorkers, "MCAAttestation": defaultWorkers, "ResellerPartnership": defaultWorkers, "Subscription": 3}},
		{value: "Widget=3", wantErr: true},
		{value: "0", wantErr: true},
		{value: "Customer=many", wantErr: true},
	} {
		t.Run(tc.value, func(t *testing.T) {
			c := defaultConcurrency()
			err := c.Set(tc.value)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Set(%q) error = %v, want error %v", tc.value, err, tc.wantErr)
			}
			for kind, n := range tc.want {
				if c[kind] != n {
					t.Errorf("Set(%q): %s = %d, want %d", tc.value, kind, c[kind], n)
				}
			}
		})
	}
}

func TestTuningApply(t *testing.T) {
	tn := &tuning{concurrency: concurrency{"Customer": 8, "Subscription": 2}, stripManagedFields: true}
	opts := tn.apply(ctrl.Options{})
	if got := opts.Controller.GroupKindConcurrency["Customer.partnercenter.csp.dev"]; got != 8 {
		t.Errorf("Customer concurrency = %d, want 8", got)
	}
	if opts.Cache.DefaultTransform == nil {
		t.Error("managedFields are not stripped from the cache")
	}
	explicit := ctrl.Options{}
	explicit.Controller.GroupKindConcurrency = map[string]int{"Subscription.partnercenter.csp.dev": 5}
	if got := tn.apply(explicit).Controller.GroupKindConcurrency["Subscription.partnercenter.csp.dev"]; got != 5 {
		t.Errorf("an explicit Subscription concurrency was overridden: %d, want 5", got)
	}
	if (&tuning{}).apply(ctrl.Options{}).Cache.DefaultTransform != nil {
		t.Error("a cache transform is set although every strip flag is off")
	}
}

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
	gate := newThrottleGate(next, clock.now)
	do := func(ctx context.Context) error {
		_, err := gate.Do(httptest.NewRequest(http.MethodGet, "http://pc.example/v1/customers", nil).WithContext(ctx))
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

func TestRetryAfter(t *testing.T) {
	for value, want := range map[string]time.Duration{"3": 3 * time.Second, " 0 ": 0, "": defaultThrottleHold, "soon": defaultThrottleHold} {
		if got := retryAfter(value); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", value, got, want)
		}
	}
}

func TestGCTarget(t *testing.T) {
	for _, tc := range []struct {
		name    string
		flag    int
		env     map[string]string
		want    int
		wantSet bool
	}{
		{"the default when GOGC is not set", defaultGCPercent, nil, defaultGCPercent, true},
		{"GOGC in the environment wins", defaultGCPercent, map[string]string{"GOGC": "200"}, 0, false},
		{"0 keeps Go's default", 0, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			got, set := (&tuning{gcPercent: tc.flag}).gcTarget(lookup)
			if got != tc.want || set != tc.wantSet {
				t.Fatalf("gcTarget = %d, %v; want %d, %v", got, set, tc.want, tc.wantSet)
			}
		})
	}
}
