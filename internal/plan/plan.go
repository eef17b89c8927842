// Package plan says, for each object in a directory of YAML, what applying
// it would do: whether the cluster would take it (admission: the schema and
// CEL rules by a server-side dry run, the operator's webhook rules by its own
// validators), what it changes in the cluster, what the operator would then
// do in Partner Center (create, attest, buy, change a quantity, adopt,
// nothing), and what it would wait for (the order gate's own reason). It
// only reads: nothing is written to the cluster or to Partner Center.
package plan

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

// PartnerCenter is what a plan reads of Partner Center: only reads.
// *partnercenter.Client implements it.
type PartnerCenter interface {
	GetCustomer(ctx context.Context, customerID string) (*wire.Customer, error)
	GetSubscription(ctx context.Context, customerID, subscriptionID string) (*wire.Subscription, error)
	ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error)
	ListIndirectResellers(ctx context.Context) ([]wire.PartnerRelationship, error)
}

var _ PartnerCenter = (*partnercenter.Client)(nil)

// Cluster states of an object.
const (
	// New: the object does not exist in the cluster.
	New = "new"
	// Changed: it exists with another spec.
	Changed = "changed"
	// Unchanged: it exists with this spec.
	Unchanged = "unchanged"
	// Refused: admission would refuse it.
	Refused = "refused"
)

// Entry is the plan for one object.
type Entry struct {
	// Kind and Name identify the object; File is where it was read.
	Kind string `json:"kind"`
	Name string `json:"name"`
	File string `json:"file"`
	// Cluster is New, Changed, Unchanged or Refused.
	Cluster string `json:"cluster"`
	// Refusal is admission's answer when Cluster is Refused.
	Refusal string `json:"refusal,omitempty"`
	// PartnerCenter is what the operator would then do in Partner Center ("nothing" when nothing).
	PartnerCenter []string `json:"partnerCenter"`
	// WaitsFor is what the operator would wait for before acting (the order gate's reason and message).
	WaitsFor string `json:"waitsFor,omitempty"`
}

// Plan is the plan of a directory.
type Plan struct {
	Namespace string  `json:"namespace"`
	Entries   []Entry `json:"entries"`
}

// Inputs are what a plan compares the objects with.
type Inputs struct {
	// Cluster reads the current objects and runs the dry runs.
	Cluster client.Client
	// PartnerCenter reads what the partner holds.
	PartnerCenter PartnerCenter
	// Operator is the operator's configuration (role, partner domain, clock) its webhook rules use.
	Operator config.Operator
	// Namespace is where the objects would be applied.
	Namespace string
}

// Make plans objects: nothing is written anywhere.
func Make(ctx context.Context, in Inputs, objects []*Object) (*Plan, error) {
	p := &planner{Inputs: in, objects: objects}
	plan := &Plan{Namespace: in.Namespace}
	for _, o := range objects {
		e, err := p.entry(ctx, o)
		if err != nil {
			return nil, fmt.Errorf("%s %s (%s): %w", o.Kind(), o.Obj.GetName(), o.File, err)
		}
		plan.Entries = append(plan.Entries, *e)
	}
	return plan, nil
}

// planner holds one plan's inputs and the objects of the directory.
type planner struct {
	Inputs
	objects []*Object
}

// entry plans one object.
func (p *planner) entry(ctx context.Context, o *Object) (*Entry, error) {
	o.Obj.SetNamespace(p.Namespace)
	e := &Entry{Kind: o.Kind(), Name: o.Obj.GetName(), File: o.File}
	current := o.Obj.DeepCopyObject().(client.Object)
	err := p.Cluster.Get(ctx, client.ObjectKeyFromObject(o.Obj), current)
	switch {
	case apierrors.IsNotFound(err):
		current = nil
	case err != nil:
		return nil, err
	}
	if refusal, err := p.admission(ctx, o, current); err != nil || refusal != "" {
		e.Cluster, e.Refusal, e.PartnerCenter = Refused, refusal, []string{"nothing: the object is not admitted"}
		return e, err
	}
	e.Cluster = New
	if current != nil {
		e.Cluster = Changed
		if equality.Semantic.DeepEqual(specOf(current), specOf(o.defaulted)) {
			e.Cluster = Unchanged
		}
	}
	actions, waits, err := p.partnerCenter(ctx, o, current)
	if err != nil {
		return nil, err
	}
	if len(actions) == 0 {
		actions = []string{"nothing"}
	}
	e.PartnerCenter, e.WaitsFor = actions, waits
	return e, nil
}

// admission is what the cluster would answer to applying o: the operator's
// webhook rules (its own validators) first, then the schema and CEL rules by
// a server-side dry run, whose answer (with the defaults applied) is kept
// in o.defaulted. "" means admitted.
func (p *planner) admission(ctx context.Context, o *Object, current client.Object) (string, error) {
	if err := p.webhookRules(ctx, o.Obj, current); err != nil {
		return err.Error(), nil
	}
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o.Obj)
	if err != nil {
		return "", err
	}
	applied := &unstructured.Unstructured{Object: u}
	unstructured.RemoveNestedField(applied.Object, "status")
	unstructured.RemoveNestedField(applied.Object, "metadata", "creationTimestamp")
	err = p.Cluster.Patch(ctx, applied, client.Apply, client.DryRunAll, client.ForceOwnership, client.FieldOwner("partnercenter-plan")) //nolint:staticcheck // server-side apply of an unstructured object
	var status apierrors.APIStatus
	if errors.As(err, &status) && (apierrors.IsInvalid(err) || apierrors.IsForbidden(err) || apierrors.IsBadRequest(err)) {
		return err.Error(), nil
	}
	if err != nil {
		return "", err
	}
	o.defaulted = o.Obj.DeepCopyObject().(client.Object)
	return "", runtime.DefaultUnstructuredConverter.FromUnstructured(applied.Object, o.defaulted)
}

// webhookRules runs the operator's validating webhook of o's kind, as the
// API server would call it.
func (p *planner) webhookRules(ctx context.Context, obj, current client.Object) error {
	cfg := p.Operator
	switch o := obj.(type) {
	case *v1alpha1.Customer:
		return validate(ctx, webhookv1alpha1.NewCustomerValidator(cfg), o, current)
	case *v1alpha1.MCAAttestation:
		return validate(ctx, webhookv1alpha1.NewMCAAttestationValidator(cfg), o, current)
	case *v1alpha1.ResellerPartnership:
		return validate(ctx, webhookv1alpha1.NewResellerPartnershipValidator(cfg), o, current)
	case *v1alpha1.Subscription:
		return validate(ctx, webhookv1alpha1.NewSubscriptionValidator(cfg), o, current)
	}
	return nil
}

// validate runs v on a create (current nil) or an update of current.
func validate[T client.Object](ctx context.Context, v admission.Validator[T], obj T, current client.Object) error {
	if current == nil {
		_, err := v.ValidateCreate(ctx, obj)
		return err
	}
	_, err := v.ValidateUpdate(ctx, current.(T), obj)
	return err
}

// specOf is an object's spec, for comparing.
func specOf(obj client.Object) any {
	switch o := obj.(type) {
	case *v1alpha1.Customer:
		return o.Spec
	case *v1alpha1.MCAAttestation:
		return o.Spec
	case *v1alpha1.ResellerPartnership:
		return o.Spec
	case *v1alpha1.Subscription:
		return o.Spec
	}
	return nil
}

// customer is the cluster's Customer named name (with its status); nil when none.
func (p *planner) customer(ctx context.Context, name string) (*v1alpha1.Customer, error) {
	c := &v1alpha1.Customer{}
	err := p.Cluster.Get(ctx, client.ObjectKey{Namespace: p.Namespace, Name: name}, c)
	if err == nil {
		return c, nil
	}
	if !apierrors.IsNotFound(err) {
		return nil, err
	}
	return nil, nil
}

// partnership is the cluster's ResellerPartnership ref names; nil when none.
func (p *planner) partnership(ctx context.Context, ref *v1alpha1.LocalObjectReference) (*v1alpha1.ResellerPartnership, error) {
	if ref == nil {
		return nil, nil
	}
	rp := &v1alpha1.ResellerPartnership{}
	err := p.Cluster.Get(ctx, client.ObjectKey{Namespace: p.Namespace, Name: ref.Name}, rp)
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	return rp, err
}

// attestations are the cluster's MCAAttestations of a customer.
func (p *planner) attestations(ctx context.Context, customer string) ([]v1alpha1.MCAAttestation, error) {
	var list v1alpha1.MCAAttestationList
	if err := p.Cluster.List(ctx, &list, client.InNamespace(p.Namespace)); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list.Items, func(a v1alpha1.MCAAttestation) bool { return a.Spec.CustomerRef.Name != customer }), nil
}

// observeOnly is what an Observe object does of actions: the adoptions,
// which only read (I1), and none of the writes, which it names.
func observeOnly(o client.Object, actions []string) []string {
	if m, ok := o.(v1alpha1.ManagedObject); !ok || m.GetManagementPolicy() != v1alpha1.ManagementPolicyObserve {
		return actions
	}
	var reads, writes []string
	for _, a := range actions {
		if strings.Contains(a, nothingWritten) {
			reads = append(reads, a)
		} else {
			writes = append(writes, a)
		}
	}
	if len(writes) == 0 {
		return append(reads, "nothing else (Observe)")
	}
	return append(reads, "nothing else (Observe): Manage would "+strings.Join(writes, "; "))
}
