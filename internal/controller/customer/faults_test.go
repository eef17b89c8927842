package customer_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// errInjected is the failure the fault points return.
var errInjected = errors.New("injected fault: the operator stops here")

// faultPoint is a place where the reconciler is made to fail, as if the
// process died right after (or before) the step.
type faultPoint string

// The steps of the create path a restart can fall between (C12).
const (
	faultNone             faultPoint = ""
	faultAfterIntent      faultPoint = "after the create intent is persisted"
	faultAfterCreateCall  faultPoint = "after the create call, before its response is read"
	faultAfterSecretWrite faultPoint = "after the credentials Secret is written"
	faultAtStatusWrite    faultPoint = "when the customer ID is recorded in status"
	faultBeforeCreateCall faultPoint = "before the create call"
	// faultDeleteRefused is Partner Center refusing a delete (outside the integration sandbox).
	faultDeleteRefused faultPoint = "Partner Center refuses the delete"
	// faultRegistrationIDRefused is Partner Center refusing a registration ID
	// admission let through (its per-country formats are undocumented).
	faultRegistrationIDRefused faultPoint = "Partner Center refuses the registration ID"
)

// faults arms one fault point at a time for one Customer; each fault fires once.
type faults struct {
	mu     sync.Mutex
	armed  faultPoint
	target string // Customer name the fault applies to
	fired  int
}

// arm makes point fail once for the Customer named name.
func (f *faults) arm(point faultPoint, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.armed, f.target, f.fired = point, name, 0
}

// take reports whether point is armed for name, disarming it.
func (f *faults) take(point faultPoint, name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.armed != point || f.target != name {
		return false
	}
	f.armed = faultNone
	f.fired++
	return true
}

// takeAny reports whether point is armed (for whichever Customer), disarming it.
func (f *faults) takeAny(point faultPoint) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.armed != point {
		return false
	}
	f.armed = faultNone
	f.fired++
	return true
}

// firedCount is how many faults fired since the last arm.
func (f *faults) firedCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fired
}

// faultyExternal is Partner Center with a fault point around the create call.
type faultyExternal struct {
	customer.External
	faults *faults
}

// CreateCustomer fails before or after the real call when armed.
func (e *faultyExternal) CreateCustomer(ctx context.Context, requestID string, req wire.CustomerCreateRequest) (*wire.Customer, error) {
	// Test Customers are named after their domain, which the request carries.
	name := strings.TrimSuffix(req.CompanyProfile.Domain, ".onmicrosoft.com")
	if e.faults.take(faultBeforeCreateCall, name) {
		return nil, errInjected
	}
	if e.faults.take(faultRegistrationIDRefused, name) {
		return nil, &partnercenter.Error{StatusCode: http.StatusBadRequest, Code: wire.CodeRegistrationIDInvalid,
			Description: "Organization registration ID information is invalid", Operation: wire.OpCreateCustomer}
	}
	out, err := e.External.CreateCustomer(ctx, requestID, req)
	if err == nil && e.faults.take(faultAfterCreateCall, name) {
		return nil, errInjected
	}
	return out, err
}

// DeleteCustomer answers 403 when armed, as Partner Center does outside the integration sandbox.
func (e *faultyExternal) DeleteCustomer(ctx context.Context, requestID, customerID string) error {
	if e.faults.takeAny(faultDeleteRefused) {
		return &partnercenter.Error{StatusCode: http.StatusForbidden, Code: wire.CodeNotAllowed,
			Description: "The requested action is not allowed", Operation: wire.OpDeleteCustomer}
	}
	return e.External.DeleteCustomer(ctx, requestID, customerID)
}

// unavailable is an API-server failure, as a crash or a lost connection looks to the reconciler.
func unavailable() error {
	return apierrors.NewServiceUnavailable(errInjected.Error())
}

// faultyClient wraps the manager's client with the Kubernetes-side fault points.
func faultyClient(c client.WithWatch, f *faults) client.WithWatch {
	return interceptor.NewClient(c, interceptor.Funcs{
		Patch: func(ctx context.Context, c client.WithWatch, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
			if err := c.Patch(ctx, obj, patch, opts...); err != nil {
				return err
			}
			if cu, ok := obj.(*v1alpha1.Customer); ok && cu.Annotations[customer.AnnotationCreateRequestID] != "" && f.take(faultAfterIntent, cu.Name) {
				return unavailable()
			}
			return nil
		},
		Create: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.CreateOption) error {
			if err := c.Create(ctx, obj, opts...); err != nil {
				return err
			}
			if s, ok := obj.(*corev1.Secret); ok && f.take(faultAfterSecretWrite, ownerName(s)) {
				return unavailable()
			}
			return nil
		},
		SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			if cu, ok := obj.(*v1alpha1.Customer); ok && cu.Status.CustomerID != "" && f.take(faultAtStatusWrite, cu.Name) {
				return apierrors.NewConflict(schema.GroupResource{Group: v1alpha1.GroupVersion.Group, Resource: "customers"}, cu.Name, errInjected)
			}
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
		},
	})
}

// ownerName is the name of the Secret's controlling owner.
func ownerName(s *corev1.Secret) string {
	for _, ref := range s.OwnerReferences {
		if ref.Controller != nil && *ref.Controller {
			return ref.Name
		}
	}
	return ""
}
