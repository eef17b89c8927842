package validation

import (
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// ResellerPartnership runs every admission rule of a ResellerPartnership (R1,
// and R6's confirmation on one line).
func ResellerPartnership(rp *v1alpha1.ResellerPartnership, cfg config.Operator) field.ErrorList {
	errs := PartnerMayPartnerWithResellers(specPath.Child("resellerMPNID"), cfg.Role)
	return append(errs, FreeText(specPath.Child("removalConfirmation"), rp.Spec.RemovalConfirmation, "R6")...)
}

// ResellerEmailWarnings warns when spec.resellerEmail is empty for a
// partnership the operator may have to request (Manage, state Active): the
// e-mail is needed only to request a partnership (R2), so an imported active
// one (I1) goes without; a reseller not in the indirect resellers list stalls
// with ResellerEmailMissing until it is set.
func ResellerEmailWarnings(rp *v1alpha1.ResellerPartnership) []string {
	if rp.Spec.ResellerEmail != "" || rp.Spec.ManagementPolicy == v1alpha1.ManagementPolicyObserve || rp.Spec.State == v1alpha1.PartnershipRemoved {
		return nil
	}
	return []string{"spec.resellerEmail is empty: it is needed only to request a partnership (R2). If reseller MPN ID " + rp.Spec.ResellerMPNID +
		" is not already this partner's indirect reseller, the ResellerPartnership stalls with ResellerEmailMissing until spec.resellerEmail is set."}
}

// PartnerMayPartnerWithResellers enforces the role part of R1: only an
// indirect provider has partnerships with indirect resellers.
func PartnerMayPartnerWithResellers(path *field.Path, role config.PartnerRole) field.ErrorList {
	if role.CanPartnerWithResellers() {
		return nil
	}
	return forbidden(path, "R1",
		"this operator acts for a %s partner, but only an IndirectProvider partners with indirect resellers (a direct-bill partner has no resellers; an indirect reseller is the one invited by its provider): run the operator with --partner-role IndirectProvider or remove this ResellerPartnership",
		role)
}

// ResellerRefNeedsProvider enforces the role part of R3: only an indirect
// provider acts on a reseller's behalf, so only it may name a
// ResellerPartnership on a Customer or Subscription.
func ResellerRefNeedsProvider(path *field.Path, ref *v1alpha1.LocalObjectReference, role config.PartnerRole) field.ErrorList {
	if ref == nil || role.CanPartnerWithResellers() {
		return nil
	}
	return forbidden(path, "R3",
		"this operator acts for a %s partner; only an IndirectProvider acts on behalf of an indirect reseller: remove %s",
		role, path)
}
