package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Apply creates the objects in order with parallel workers, as fast as the
// API server accepts them, noting each create's send time in r. created, if
// set, is called with each object once it exists.
func Apply(ctx context.Context, c client.Client, objs []client.Object, parallel int, r *Readiness, created func(client.Object)) error {
	work := make(chan client.Object)
	errs := make(chan error, parallel)
	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for obj := range work {
				if err := createOne(ctx, c, obj, r); err != nil {
					errs <- err
					return
				}
				if created != nil {
					created(obj)
				}
			}
		})
	}
	var err error
feed:
	for _, obj := range objs {
		select {
		case work <- obj:
		case err = <-errs:
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	return err
}

// WarmUp dry-run-creates one object of each kind, so the first real
// creates do not pay for the API server's lazy set-up (the namespace just
// created, each kind's first request) and both runs start alike.
func WarmUp(ctx context.Context, c client.Client, w *Workload) error {
	seen := map[Kind]bool{}
	for _, obj := range w.Objects {
		if seen[kindOf(obj)] {
			continue
		}
		seen[kindOf(obj)] = true
		if err := c.Create(ctx, obj.DeepCopyObject().(client.Object), client.DryRunAll); err != nil {
			return fmt.Errorf("warm-up create of %s: %w", kindOf(obj), err)
		}
	}
	return nil
}

// createOne creates obj, retrying what the API server asks to retry
// (429 from its flow control, timeouts); an existing object is fine.
func createOne(ctx context.Context, c client.Client, obj client.Object, r *Readiness) error {
	for attempt := 1; ; attempt++ {
		r.Created(obj, time.Now())
		err := c.Create(ctx, obj)
		if err == nil || apierrors.IsAlreadyExists(err) {
			return nil
		}
		retry := apierrors.IsTooManyRequests(err) || apierrors.IsServerTimeout(err) || apierrors.IsTimeout(err)
		if !retry || attempt == 10 {
			return fmt.Errorf("creating %s %s: %w", kindOf(obj), obj.GetName(), err)
		}
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
	}
}
