package main

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Readiness watches the workload's objects (informers of the harness's own,
// unaudited user) and records when each was first seen Ready=True and when
// it first reached its settled state, and when the harness sent its create
// request.
type Readiness struct {
	mu      sync.Mutex
	created map[objectKey]time.Time
	ready   map[objectKey]time.Time
	settled map[objectKey]time.Time
	// extra are the conditions, besides Ready, an object of a kind must show to be settled.
	extra map[Kind][]string
	// wanted are the workload's objects; others in the namespace (an earlier
	// workload's) are not watched for.
	wanted map[objectKey]bool
	want   int
	all    chan struct{}
	cancel context.CancelFunc
}

// objectKey identifies an object across kinds (all live in one namespace).
type objectKey struct {
	kind Kind
	name string
}

// settledConditions are the conditions besides Ready that end an object's
// onboarding: a Customer is Ready before its attestation, and records the
// confirmed agreement (M6) afterwards.
var settledConditions = map[Kind][]string{KindCustomer: {v1alpha1.ConditionAgreementAccepted}}

// WatchReadiness starts informers for the workload's kinds and returns once
// they are synced.
func WatchReadiness(cfg *rest.Config, scheme *runtime.Scheme, w *Workload) (*Readiness, error) {
	r := &Readiness{
		created: map[objectKey]time.Time{}, ready: map[objectKey]time.Time{}, settled: map[objectKey]time.Time{},
		extra: settledConditions, want: len(w.Objects), all: make(chan struct{}), wanted: map[objectKey]bool{},
	}
	for _, obj := range w.Objects {
		r.wanted[objectKey{kindOf(obj), obj.GetName()}] = true
	}
	c, err := cache.New(cfg, cache.Options{Scheme: scheme, DefaultTransform: cache.TransformStripManagedFields()})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	for _, k := range allKinds {
		inf, err := c.GetInformer(ctx, emptyObject(k))
		if err != nil {
			cancel()
			return nil, err
		}
		observe := func(obj any) { r.observe(k, obj) }
		if _, err := inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
			AddFunc:    observe,
			UpdateFunc: func(_, obj any) { observe(obj) },
		}); err != nil {
			cancel()
			return nil, err
		}
	}
	go func() { _ = c.Start(ctx) }()
	if !c.WaitForCacheSync(ctx) {
		cancel()
		return nil, fmt.Errorf("readiness informers did not sync")
	}
	return r, nil
}

// emptyObject is an empty object of kind k, for informers.
func emptyObject(k Kind) client.Object {
	switch k {
	case KindResellerPartnership:
		return &v1alpha1.ResellerPartnership{}
	case KindCustomer:
		return &v1alpha1.Customer{}
	case KindMCAAttestation:
		return &v1alpha1.MCAAttestation{}
	}
	return &v1alpha1.Subscription{}
}

// observe records the first Ready=True and the first settled state of an object.
func (r *Readiness) observe(k Kind, obj any) {
	o, ok := obj.(status.Object)
	if !ok {
		return
	}
	conds := o.GetCommonStatus().Conditions
	if !meta.IsStatusConditionTrue(conds, v1alpha1.ConditionReady) {
		return
	}
	settled := true
	for _, t := range r.extra[k] {
		settled = settled && meta.IsStatusConditionTrue(conds, t)
	}
	id := objectKey{k, o.GetName()}
	if !r.wanted[id] {
		return
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, seen := r.ready[id]; !seen {
		r.ready[id] = now
	}
	if _, seen := r.settled[id]; settled && !seen {
		r.settled[id] = now
		if len(r.settled) == r.want {
			close(r.all)
		}
	}
}

// Created records when the first create request of an object was sent.
func (r *Readiness) Created(obj client.Object, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := objectKey{kindOf(obj), obj.GetName()}
	if _, again := r.created[id]; !again {
		r.created[id] = at
	}
}

// Wait blocks until every object is settled, timeout passes or abort is
// closed (the manager died); it tells whether all settled.
func (r *Readiness) Wait(timeout time.Duration, abort <-chan struct{}) bool {
	select {
	case <-r.all:
		return true
	case <-time.After(timeout):
		return false
	case <-abort:
		return false
	}
}

// Stop ends the informers.
func (r *Readiness) Stop() { r.cancel() }

// Latencies summarises time-to-Ready.
type Latencies struct {
	// Ready is how many objects were seen Ready.
	Ready int `json:"ready"`
	// Of is how many objects there are.
	Of int `json:"of"`
	// P50Seconds, P95Seconds, MaxSeconds are over the Ready objects, from
	// create request to first observed Ready=True.
	P50Seconds float64 `json:"p50Seconds"`
	P95Seconds float64 `json:"p95Seconds"`
	MaxSeconds float64 `json:"maxSeconds"`
	// LastReady is when the last object became Ready.
	LastReady time.Time `json:"-"`
	// LastSettled is when the last object reached its settled state.
	LastSettled time.Time `json:"-"`
}

// Latencies computes the time-to-Ready figures, for all kinds and per kind.
func (r *Readiness) Latencies() (Latencies, map[Kind]Latencies) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all := []time.Duration{}
	byKind := map[Kind][]time.Duration{}
	var last time.Time
	for id, created := range r.created {
		k := id.kind
		ready, ok := r.ready[id]
		byKind[k] = append(byKind[k], -1)
		if !ok {
			continue
		}
		d := ready.Sub(created)
		all = append(all, d)
		byKind[k][len(byKind[k])-1] = d
		if ready.After(last) {
			last = ready
		}
	}
	total := summarize(all, len(r.created))
	total.LastReady = last
	for _, t := range r.settled {
		if t.After(total.LastSettled) {
			total.LastSettled = t
		}
	}
	perKind := map[Kind]Latencies{}
	for k, ds := range byKind {
		var ready []time.Duration
		for _, d := range ds {
			if d >= 0 {
				ready = append(ready, d)
			}
		}
		perKind[k] = summarize(ready, len(ds))
	}
	return total, perKind
}

// summarize computes percentiles of ds (nearest rank).
func summarize(ds []time.Duration, of int) Latencies {
	l := Latencies{Ready: len(ds), Of: of}
	if len(ds) == 0 {
		return l
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	rank := func(p float64) float64 {
		i := int(p*float64(len(ds))+0.999999) - 1
		return ds[min(max(i, 0), len(ds)-1)].Seconds()
	}
	l.P50Seconds, l.P95Seconds, l.MaxSeconds = rank(0.50), rank(0.95), ds[len(ds)-1].Seconds()
	return l
}
