package partnercenter

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// answerOK answers every request 200 and counts them.
type answerOK struct{ sent atomic.Int64 }

func (a *answerOK) Do(req *http.Request) (*http.Response, error) {
	a.sent.Add(1)
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req, Header: http.Header{}}, nil
}

// TestDriftCheckReadsTakeOnlyTheUnreservedShare spends the resync bucket
// (burst 2, refilling once in two hours) with drift-check reads: the next
// one must wait (its context cannot wait that long), while user-driven reads
// and a drift check's write still go through at once.
func TestDriftCheckReadsTakeOnlyTheUnreservedShare(t *testing.T) {
	transport := &answerOK{}
	send := sender(t, newResyncBudgetPolicy(1.0/3600, 2, 0.5), transport)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	customer := func(ctx context.Context, method string) error { return send(ctx, method, "/v1/customers/1") }
	resync := WithResync(ctx)
	for i := range 2 {
		if err := customer(resync, http.MethodGet); err != nil {
			t.Fatalf("drift-check read %d within the resync burst: %v", i, err)
		}
	}
	if err := customer(resync, http.MethodGet); err == nil {
		t.Fatal("a drift-check read beyond the resync share went through at once")
	}
	for _, call := range []struct {
		ctx    context.Context
		method string
	}{{ctx, http.MethodGet}, {ctx, http.MethodGet}, {ctx, http.MethodPatch}, {resync, http.MethodPatch}} {
		if err := customer(call.ctx, call.method); err != nil {
			t.Fatalf("%s (resync-marked: %v) was held by the resync budget: %v", call.method, isResync(call.ctx), err)
		}
	}
	if transport.sent.Load() != 6 {
		t.Fatalf("sent %d requests, want 6", transport.sent.Load())
	}
}

func TestNoResyncBudgetWithoutALimitOrAReservedShare(t *testing.T) {
	if newResyncBudgetPolicy(0, 10, 0.5) != nil || newResyncBudgetPolicy(5, 10, 0) != nil {
		t.Fatal("a resync budget without an account limit or a reserved share")
	}
	if _, err := New(Options{RequestsPerSecond: 5, ReservedShare: 1}); err == nil {
		t.Fatal("a reserved share of 1 (resyncs never run) was accepted")
	}
}

// sender sends requests through p to transport; a failed send's error is returned.
func sender(t *testing.T, p policy.Policy, transport policy.Transporter) func(ctx context.Context, method, path string) error {
	pl := runtime.NewPipeline("test", "v0", runtime.PipelineOptions{PerRetry: []policy.Policy{p}},
		&policy.ClientOptions{Transport: transport, Retry: policy.RetryOptions{MaxRetries: -1}})
	return func(ctx context.Context, method, path string) error {
		req, err := runtime.NewRequest(ctx, method, "https://api.partnercenter.example"+path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = pl.Do(req)
		return err
	}
}

// TestEachGroupIsPacedAtItsOwnRate spends the customers group's bucket
// (burst 2, refilling once an hour): its next call must wait, while the
// calls of an unmetered group and of a group with its own bucket go at once.
func TestEachGroupIsPacedAtItsOwnRate(t *testing.T) {
	transport := &answerOK{}
	send := sender(t, newGroupBudgetPolicy(map[string]wire.RateLimit{
		wire.RateGroupCustomers: {Requests: 1, Per: time.Hour}, wire.RateGroupOrders: {Requests: 1, Per: time.Hour},
	}, 2), transport)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	for _, path := range []string{"/v1/customers/1", "/v1/customers/1/profiles/billing"} {
		if err := send(ctx, http.MethodGet, path); err != nil {
			t.Fatalf("%s within the customers burst: %v", path, err)
		}
	}
	if err := send(ctx, http.MethodPost, "/v1/customers"); err == nil {
		t.Fatal("a customers call beyond the group's rate went through at once")
	}
	for _, path := range []string{"/v1/domains/contoso", "/v1/validations/address", "/v1/customers/1/orders", "/v1/customers/1/subscriptions/2"} {
		if err := send(ctx, http.MethodGet, path); err != nil {
			t.Fatalf("%s was held by the customers group: %v", path, err)
		}
	}
	if transport.sent.Load() != 6 {
		t.Fatalf("sent %d requests, want 6", transport.sent.Load())
	}
}

// TestAGroupServesDriftChecksLast: with the customers group's token spent,
// a drift-check read that came first waits while a user-driven call that
// came after it takes the next token; the drift check goes once no other
// call waits. (Served in arrival order, the drift check would go first.)
func TestAGroupServesDriftChecksLast(t *testing.T) {
	const tokenEvery = 200 * time.Millisecond
	transport := &answerOK{}
	send := sender(t, newGroupBudgetPolicy(map[string]wire.RateLimit{wire.RateGroupCustomers: {Requests: 1, Per: tokenEvery}}, 1), transport)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := send(ctx, http.MethodPost, "/v1/customers"); err != nil { // spends the one token
		t.Fatal(err)
	}
	done := make(chan string, 2)
	go func() {
		if err := send(WithResync(ctx), http.MethodGet, "/v1/customers/1/profiles/billing"); err != nil {
			t.Error(err)
		}
		done <- "drift check"
	}()
	time.Sleep(tokenEvery / 4) // the drift check waits first
	go func() {
		if err := send(ctx, http.MethodGet, "/v1/customers/2/validationStatus"); err != nil {
			t.Error(err)
		}
		done <- "user-driven"
	}()
	if first, second := <-done, <-done; first != "user-driven" || second != "drift check" {
		t.Fatalf("served %s, then %s; want the user-driven call first", first, second)
	}
}

// TestADriftCheckWithoutBudgetIsDeferredNotSent: when no budget is spare
// within the patience (the group's token taken, the account's resync share
// spent), a drift-check read ends in ErrDriftCheckDeferred without being
// sent or retried, so no worker waits on it past the per-try timeout.
func TestADriftCheckWithoutBudgetIsDeferredNotSent(t *testing.T) {
	defer func(p time.Duration) { driftCheckPatience = p }(driftCheckPatience)
	driftCheckPatience = 50 * time.Millisecond
	for _, tc := range []struct {
		name   string
		policy policy.Policy
	}{
		{"the group's token is taken", newGroupBudgetPolicy(map[string]wire.RateLimit{wire.RateGroupCustomers: {Requests: 1, Per: time.Hour}}, 1)},
		{"the resync share is spent", newResyncBudgetPolicy(1.0/3600, 1, 0.5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			transport := &answerOK{}
			pl := runtime.NewPipeline("test", "v0", runtime.PipelineOptions{PerRetry: []policy.Policy{tc.policy}},
				&policy.ClientOptions{Transport: transport, Retry: policy.RetryOptions{MaxRetries: 3, RetryDelay: time.Millisecond}})
			send := func(ctx context.Context) error {
				req, err := runtime.NewRequest(ctx, http.MethodGet, "https://api.partnercenter.example/v1/customers/1/profiles/billing")
				if err != nil {
					t.Fatal(err)
				}
				_, err = pl.Do(req)
				return err
			}
			resync := WithResync(context.Background())
			if err := send(resync); err != nil { // takes the one token
				t.Fatal(err)
			}
			if err := send(resync); !IsDeferred(err) {
				t.Fatalf("a drift check without budget answered %v, want ErrDriftCheckDeferred", err)
			}
			if n := transport.sent.Load(); n != 1 {
				t.Fatalf("sent %d requests, want only the first", n)
			}
		})
	}
}

// A deferred drift check is counted as such, and its wait for budget is not
// recorded as a Partner Center latency.
func TestADeferredCallIsCountedButNotTimed(t *testing.T) {
	m, err := newMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	m.observe(wire.OpGetBillingProfile, codeDeferred, false, 10*time.Second)
	if n := testutil.ToFloat64(m.requests.WithLabelValues(wire.OpGetBillingProfile, codeDeferred)); n != 1 {
		t.Fatalf("deferred calls counted %v, want 1", n)
	}
	if n := testutil.CollectAndCount(m.duration); n != 0 {
		t.Fatalf("the deferral's wait was recorded as a latency (%d series)", n)
	}
}
