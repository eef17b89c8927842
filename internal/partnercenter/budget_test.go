package partnercenter

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// answerOK answers every request 200 and counts them.
type answerOK struct{ sent int }

func (a *answerOK) Do(req *http.Request) (*http.Response, error) {
	a.sent++
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req, Header: http.Header{}}, nil
}

// TestDriftCheckReadsTakeOnlyTheUnreservedShare spends the resync bucket
// (burst 2, refilling once in two hours) with drift-check reads: the next
// one must wait (its context cannot wait that long), while user-driven reads
// and a drift check's write still go through at once.
func TestDriftCheckReadsTakeOnlyTheUnreservedShare(t *testing.T) {
	transport := &answerOK{}
	budget := newResyncBudgetPolicy(1.0/3600, 2, 0.5)
	pl := runtime.NewPipeline("test", "v0", runtime.PipelineOptions{PerRetry: []policy.Policy{budget}},
		&policy.ClientOptions{Transport: transport, Retry: policy.RetryOptions{MaxRetries: -1}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	send := func(ctx context.Context, method string) error {
		req, err := runtime.NewRequest(ctx, method, "https://api.partnercenter.example/v1/customers/1")
		if err != nil {
			t.Fatal(err)
		}
		_, err = pl.Do(req)
		return err
	}
	resync := WithResync(ctx)
	for i := range 2 {
		if err := send(resync, http.MethodGet); err != nil {
			t.Fatalf("drift-check read %d within the resync burst: %v", i, err)
		}
	}
	if err := send(resync, http.MethodGet); err == nil {
		t.Fatal("a drift-check read beyond the resync share went through at once")
	}
	for _, call := range []struct {
		ctx    context.Context
		method string
	}{{ctx, http.MethodGet}, {ctx, http.MethodGet}, {ctx, http.MethodPatch}, {resync, http.MethodPatch}} {
		if err := send(call.ctx, call.method); err != nil {
			t.Fatalf("%s (resync-marked: %v) was held by the resync budget: %v", call.method, isResync(call.ctx), err)
		}
	}
	if transport.sent != 6 {
		t.Fatalf("sent %d requests, want 6", transport.sent)
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
