package validation

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// Subscription runs every admission rule of a Subscription (R3): a reseller
// as partner of record or as support contact only for an indirect provider;
// the friendly name on one line (S1).
func Subscription(s *v1alpha1.Subscription, cfg config.Operator) field.ErrorList {
	errs := ResellerRefNeedsProvider(specPath.Child("resellerRef"), s.Spec.ResellerRef, cfg.Role)
	errs = append(errs, ResellerRefNeedsProvider(specPath.Child("supportContactRef"), s.Spec.SupportContactRef, cfg.Role)...)
	return append(errs, FreeText(specPath.Child("friendlyName"), s.Spec.FriendlyName, "S1")...)
}
