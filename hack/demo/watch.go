package main

import (
	"context"
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// messageWidth is how much of a Ready message the live table shows.
const messageWidth = 90

// watcher receives every change of the four kinds, like
// `kubectl get partnercenter -w`.
type watcher struct {
	changes chan client.Object
	latest  map[objectRef]client.Object
	// stop ends the watches; kube-apiserver stops slowly while they are open.
	stop context.CancelFunc
}

// watchSamples starts informers for the four kinds and waits for their
// first list, so no change after this point is missed. Call stop when done.
func watchSamples(parent context.Context, cfg *rest.Config) (*watcher, error) {
	scheme := runtime.NewScheme()
	if err := errors.Join(clientgoscheme.AddToScheme(scheme), v1alpha1.AddToScheme(scheme)); err != nil {
		return nil, err
	}
	informers, err := cache.New(cfg, cache.Options{Scheme: scheme})
	if err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(parent)
	w := &watcher{changes: make(chan client.Object, 256), latest: map[objectRef]client.Object{}, stop: stop}
	send := func(obj any) {
		if o, ok := obj.(client.Object); ok {
			select {
			case w.changes <- o:
			case <-ctx.Done():
			}
		}
	}
	for _, kind := range []client.Object{&v1alpha1.ResellerPartnership{}, &v1alpha1.Customer{}, &v1alpha1.MCAAttestation{}, &v1alpha1.Subscription{}} {
		inf, err := informers.GetInformer(ctx, kind)
		if err != nil {
			stop()
			return nil, err
		}
		if _, err := inf.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
			AddFunc:    send,
			UpdateFunc: func(_, obj any) { send(obj) },
		}); err != nil {
			stop()
			return nil, err
		}
	}
	go func() { _ = informers.Start(ctx) }()
	if !informers.WaitForCacheSync(ctx) {
		stop()
		return nil, errors.New("the watch on the control plane did not start")
	}
	return w, nil
}

// row is one line of the live table: what an object's Ready condition says.
type row struct {
	ready, reason, message string
}

// readyRow reads obj's Ready condition. A condition computed for an older
// generation counts as not known yet (kstatus does the same).
func readyRow(obj client.Object) row {
	so, ok := obj.(v1alpha1.StatusObject)
	if !ok {
		return row{ready: "-"}
	}
	c := meta.FindStatusCondition(so.GetCommonStatus().Conditions, v1alpha1.ConditionReady)
	switch {
	case c == nil:
		return row{ready: "-", message: "no status yet"}
	case c.ObservedGeneration < obj.GetGeneration():
		return row{ready: string(metav1.ConditionUnknown), reason: c.Reason, message: "(status of an older generation) " + c.Message}
	default:
		return row{ready: string(c.Status), reason: c.Reason, message: c.Message}
	}
}

// isReady says whether obj's Ready condition is True for its generation.
func isReady(obj client.Object) bool {
	return readyRow(obj).ready == string(metav1.ConditionTrue)
}

// refOf names obj as the table does.
func refOf(obj client.Object) objectRef {
	return objectRef{Kind: kindOf(obj), Name: obj.GetName()}
}

// kindOf is obj's kind (informer objects carry no TypeMeta).
func kindOf(obj client.Object) string {
	switch obj.(type) {
	case *v1alpha1.Customer:
		return "Customer"
	case *v1alpha1.MCAAttestation:
		return "MCAAttestation"
	case *v1alpha1.ResellerPartnership:
		return "ResellerPartnership"
	case *v1alpha1.Subscription:
		return "Subscription"
	}
	return fmt.Sprintf("%T", obj)
}

// printHeader prints the live table's column titles.
func printHeader() {
	fmt.Printf("%6s  %-40s %-7s %-30s %s\n", "", "OBJECT", "READY", "REASON", "MESSAGE")
}

// printRow prints one line of the live table.
func printRow(ref objectRef, r row) {
	fmt.Printf("%6s  %-40s %-7s %-30s %s\n", elapsed(), ref, r.ready, r.reason, shorten(r.message, messageWidth))
}
