package testenv

import (
	"context"
	"reflect"
	"sync"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

// LaggingCache wraps a reconciler's client so that its cache falls one write
// behind: after each write of an object through it (a patch of the object or
// of its status), the next read of that object returns the object as it was
// before that write, as an informer whose event for the write has not
// arrived yet would. live reads the API server uncached, for the copy kept.
func LaggingCache(c client.WithWatch, live client.Reader) client.WithWatch {
	l := &lag{live: live, before: map[lagKey]client.Object{}}
	return interceptor.NewClient(c, interceptor.Funcs{
		Get: func(ctx context.Context, c client.WithWatch, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
			if stale := l.take(lagKey{reflect.TypeOf(obj), key}); stale != nil {
				reflect.ValueOf(obj).Elem().Set(reflect.ValueOf(stale).Elem())
				return nil
			}
			return c.Get(ctx, key, obj, opts...)
		},
		Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
			l.keep(ctx, obj)
			return c.Patch(ctx, obj, patch, opts...)
		},
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			l.keep(ctx, obj)
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
		},
	})
}

// lag holds, per object, its copy from before the last write not read yet.
type lag struct {
	live   client.Reader
	mu     sync.Mutex
	before map[lagKey]client.Object
}

// lagKey names an object of one kind.
type lagKey struct {
	kind reflect.Type
	key  client.ObjectKey
}

// keep reads obj as the API server has it before a write.
func (l *lag) keep(ctx context.Context, obj client.Object) {
	stale := obj.DeepCopyObject().(client.Object)
	if l.live.Get(ctx, client.ObjectKeyFromObject(obj), stale) != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.before[lagKey{reflect.TypeOf(obj), client.ObjectKeyFromObject(obj)}] = stale
}

// take returns (once) the copy kept for key, nil when none.
func (l *lag) take(key lagKey) client.Object {
	l.mu.Lock()
	defer l.mu.Unlock()
	stale := l.before[key]
	delete(l.before, key)
	return stale
}
