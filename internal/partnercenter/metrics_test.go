package partnercenter

import (
	"context"
	"net/http"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

func TestCountersExistAtZeroAndRefusalsAreCounted(t *testing.T) {
	srv := newFakeServer(t, reply{status: http.StatusForbidden, body: `{"code":"600006","description":"The requested action is not allowed"}`},
		reply{status: http.StatusNotFound, body: `{"code":"600074","description":"not found"}`})
	c := newTestClient(t, srv.URL, func(o *Options) { o.Registerer = prometheus.NewRegistry(); o.MaxRetries = -1 })
	for name, counter := range map[string]*prometheus.CounterVec{"throttled": c.metrics.throttles, "refused": c.metrics.refusals} {
		if n := testutil.CollectAndCount(counter); n != len(wire.AllOperations) {
			t.Errorf("%s: %d series before any call, want one per operation (%d)", name, n, len(wire.AllOperations))
		}
		if v := testutil.ToFloat64(counter.WithLabelValues(wire.OpCreateOrder)); v != 0 {
			t.Errorf("%s{CreateOrder} = %v before any call", name, v)
		}
	}
	_ = c.DeleteCustomer(context.Background(), "req-1", "cust-1")
	_, _ = c.GetCustomer(context.Background(), "cust-1")
	for op, want := range map[string]float64{wire.OpDeleteCustomer: 1, wire.OpGetCustomer: 1, wire.OpCreateOrder: 0} {
		if got := testutil.ToFloat64(c.metrics.refusals.WithLabelValues(op)); got != want {
			t.Errorf("refused{%s} = %v, want %v", op, got, want)
		}
	}
}

func TestAnExpected404IsNoRefusal(t *testing.T) {
	srv := newFakeServer(t, reply{status: http.StatusNotFound})
	c := newTestClient(t, srv.URL, func(o *Options) { o.Registerer = prometheus.NewRegistry(); o.MaxRetries = -1 })
	free, err := c.CheckDomainAvailable(context.Background(), "contoso.onmicrosoft.com")
	if err != nil || !free {
		t.Fatalf("CheckDomainAvailable = %v, %v; want free", free, err)
	}
	if got := testutil.ToFloat64(c.metrics.refusals.WithLabelValues(wire.OpCheckDomain)); got != 0 {
		t.Errorf("refused{CheckDomain} = %v after a free domain's 404, want 0", got)
	}
}
