// Package v1alpha1 holds the validating admission webhooks of the
// partnercenter.csp.dev/v1alpha1 kinds. Each webhook runs the pure rules of
// internal/validation and refuses an object with every violation at once
// (field path and rule ID in each message), so `kubectl apply` shows the
// user all there is to fix. The controllers run the same rules, because
// webhooks may be switched off.
package v1alpha1

import (
	"context"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// SetupWebhooksWithManager registers the validating webhooks of all four kinds.
func SetupWebhooksWithManager(mgr ctrl.Manager, cfg config.Operator) error {
	for _, setup := range []func(ctrl.Manager, config.Operator) error{
		SetupCustomerWebhookWithManager,
		SetupMCAAttestationWebhookWithManager,
		SetupResellerPartnershipWebhookWithManager,
		SetupSubscriptionWebhookWithManager,
	} {
		if err := setup(mgr, cfg); err != nil {
			return err
		}
	}
	return nil
}

// rulesFunc runs a kind's admission rules on newObj. oldObj is the object
// before an update, nil on create. It returns the violations and warnings.
type rulesFunc[T client.Object] func(newObj, oldObj T) (field.ErrorList, []string)

// ruleValidator is the admission.Validator every kind shares; only the
// rules and the way to read the spec differ.
type ruleValidator[T client.Object] struct {
	kind  string
	spec  func(T) any
	rules rulesFunc[T]
	// deleteRules refuse a deletion (nil: every deletion is admitted).
	deleteRules func(T) field.ErrorList
}

// ValidateCreate runs the kind's rules on a new object.
func (v *ruleValidator[T]) ValidateCreate(_ context.Context, obj T) (admission.Warnings, error) {
	var none T
	return v.check(obj, none)
}

// ValidateUpdate runs the kind's rules on the new object when its spec
// changed. Metadata-only updates (the controller adding or removing its
// finalizer, labels) and updates of an object being deleted are let
// through: an object must never get stuck because the operator's role,
// partner domain or clock changed after it was admitted.
func (v *ruleValidator[T]) ValidateUpdate(_ context.Context, oldObj, newObj T) (admission.Warnings, error) {
	if newObj.GetDeletionTimestamp() != nil || equality.Semantic.DeepEqual(v.spec(oldObj), v.spec(newObj)) {
		return nil, nil
	}
	return v.check(newObj, oldObj)
}

// ValidateDelete refuses only what the kind's deleteRules refuse; deletion
// is otherwise governed by each kind's deletionPolicy and its controller.
func (v *ruleValidator[T]) ValidateDelete(_ context.Context, obj T) (admission.Warnings, error) {
	if v.deleteRules == nil {
		return nil, nil
	}
	if errs := v.deleteRules(obj); len(errs) > 0 {
		return nil, apierrors.NewInvalid(v1alpha1.GroupVersion.WithKind(v.kind).GroupKind(), obj.GetName(), errs)
	}
	return nil, nil
}

// check answers with every violation in one Invalid error, and the warnings.
func (v *ruleValidator[T]) check(newObj, oldObj T) (admission.Warnings, error) {
	errs, warnings := v.rules(newObj, oldObj)
	if len(errs) == 0 {
		return warnings, nil
	}
	return warnings, apierrors.NewInvalid(v1alpha1.GroupVersion.WithKind(v.kind).GroupKind(), newObj.GetName(), errs)
}

// register adds validator as obj's validating webhook to mgr.
func register[T client.Object](mgr ctrl.Manager, obj T, validator admission.Validator[T]) error {
	return ctrl.NewWebhookManagedBy(mgr, obj).WithValidator(validator).Complete()
}
