package validation

import (
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// dateLayout is the YYYY-MM-DD form of spec.dateAgreed.
const dateLayout = time.DateOnly

// MCAAttestation runs every admission rule of an MCAAttestation (M2, M3, C3)
// with now as the current time, returning all violations at once.
func MCAAttestation(a *v1alpha1.MCAAttestation, cfg config.Operator, now time.Time) field.ErrorList {
	errs := MCAAttestationExceptDate(a, cfg)
	return append(errs, DateAgreedNotInFuture(specPath.Child("dateAgreed"), a.Spec.DateAgreed, now)...)
}

// MCAAttestationExceptDate runs the MCAAttestation rules that do not depend
// on the clock: an update that keeps dateAgreed must not be refused because
// of the clock (the date was checked when it was set).
func MCAAttestationExceptDate(a *v1alpha1.MCAAttestation, cfg config.Operator) field.ErrorList {
	errs := PartnerMayAttest(specPath.Child("method"), a.Spec.Method, cfg.Role)
	if by := a.Spec.AcceptedBy; by != nil {
		// The signatory's names are a person's names, as the primary contact's (C3).
		path := specPath.Child("acceptedBy")
		errs = append(errs, ContactName(path.Child("firstName"), by.FirstName)...)
		errs = append(errs, ContactName(path.Child("lastName"), by.LastName)...)
	}
	return errs
}

// PartnerMayAttest enforces M2: an indirect reseller may not attest the
// customer's acceptance; its indirect provider must.
func PartnerMayAttest(path *field.Path, method v1alpha1.AcceptanceMethod, role config.PartnerRole) field.ErrorList {
	if method != v1alpha1.MethodPartnerAttestation || role.CanAttest() {
		return nil
	}
	return forbidden(path, "M2",
		"this operator acts for an %s, which may not attest the customer's acceptance of the Microsoft Customer Agreement: its indirect provider must attest it; ask the provider to attest, or use method DirectAcceptance",
		role)
}

// DateAgreedNotInFuture enforces M3's date rule: dateAgreed is a real
// calendar date (YYYY-MM-DD) not after today in UTC at now. An empty date is
// left to the CRD (required for a PartnerAttestation).
func DateAgreedNotInFuture(path *field.Path, dateAgreed string, now time.Time) field.ErrorList {
	if dateAgreed == "" {
		return nil
	}
	agreed, err := time.Parse(dateLayout, dateAgreed)
	if err != nil {
		return invalid(path, dateAgreed, "M3", "not a valid calendar date; give the date the customer accepted as YYYY-MM-DD")
	}
	today := now.UTC().Format(dateLayout)
	if agreed.Format(dateLayout) > today {
		return invalid(path, dateAgreed, "M3", "the acceptance date may not be in the future (today is %s UTC); give the date the customer actually accepted", today)
	}
	return nil
}
