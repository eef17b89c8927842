package v1alpha1

import (
	"k8s.io/apimachinery/pkg/util/validation/field"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// +kubebuilder:webhook:path=/validate-partnercenter-csp-dev-v1alpha1-mcaattestation,mutating=false,failurePolicy=fail,sideEffects=None,groups=partnercenter.csp.dev,resources=mcaattestations,verbs=create;update,versions=v1alpha1,name=vmcaattestation-v1alpha1.partnercenter.csp.dev,admissionReviewVersions=v1

// SetupMCAAttestationWebhookWithManager registers the MCAAttestation validating webhook.
func SetupMCAAttestationWebhookWithManager(mgr ctrl.Manager, cfg config.Operator) error {
	return register(mgr, &v1alpha1.MCAAttestation{}, NewMCAAttestationValidator(cfg))
}

// NewMCAAttestationValidator returns the MCAAttestation validator: M2 (an
// indirect reseller may not attest) and M3 (dateAgreed not in the future,
// by cfg's clock; CEL has no clock). The date is checked on create and
// when it changes only, so an admitted attestation stays editable whatever
// the clock says later.
func NewMCAAttestationValidator(cfg config.Operator) admission.Validator[*v1alpha1.MCAAttestation] {
	return &ruleValidator[*v1alpha1.MCAAttestation]{
		kind: "MCAAttestation",
		spec: func(a *v1alpha1.MCAAttestation) any { return a.Spec },
		rules: func(a, old *v1alpha1.MCAAttestation) (field.ErrorList, []string) {
			if old != nil && old.Spec.DateAgreed == a.Spec.DateAgreed {
				return validation.MCAAttestationExceptDate(a, cfg), nil
			}
			return validation.MCAAttestation(a, cfg, cfg.Now()), nil
		},
	}
}
