package validation

import (
	"testing"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

// controlCharacters are what a copy-paste brings into a one-line field.
var controlCharacters = map[string]string{
	"line feed": "\n", "carriage return": "\r", "tab": "\t", "NUL": "\x00", "DEL": "\x7f", "zero-width space": "\u200b",
}

func TestFreeTextRefusesControlCharactersInEveryField(t *testing.T) {
	// inAddress puts bad into one field of a valid address (GB: no fixed
	// postal-code format, so only the character is wrong).
	inAddress := func(set func(a *v1alpha1.Address, bad string)) func(string) field.ErrorList {
		return func(bad string) field.ErrorList {
			a := &v1alpha1.Address{AddressLine1: "1 Microsoft Way", City: "London", PostalCode: "SW1A 1AA", Country: "GB"}
			set(a, bad)
			return BillingAddress(specPath.Child("address"), a)
		}
	}
	for _, tc := range []struct {
		field, rule string
		errs        func(bad string) field.ErrorList
	}{
		{"spec.address.addressLine1", "C5", inAddress(func(a *v1alpha1.Address, bad string) { a.AddressLine1 += bad })},
		{"spec.address.addressLine2", "C5", inAddress(func(a *v1alpha1.Address, bad string) { a.AddressLine2 = "Suite 5" + bad })},
		{"spec.address.addressLine3", "C5", inAddress(func(a *v1alpha1.Address, bad string) { a.AddressLine3 = bad + "Building 92" })},
		{"spec.address.city", "C5", inAddress(func(a *v1alpha1.Address, bad string) { a.City = "Lon" + bad + "don" })},
		{"spec.address.state", "C5", inAddress(func(a *v1alpha1.Address, bad string) { a.State = "Greater London" + bad })},
		{"spec.address.postalCode", "C5", inAddress(func(a *v1alpha1.Address, bad string) { a.PostalCode = "SW1A" + bad + "1AA" })},
		{"spec.friendlyName", "S1", func(bad string) field.ErrorList {
			return Subscription(&v1alpha1.Subscription{Spec: v1alpha1.SubscriptionSpec{FriendlyName: "Office" + bad}}, providerConfig)
		}},
		{"spec.removalConfirmation", "R6", func(bad string) field.ErrorList {
			return ResellerPartnership(&v1alpha1.ResellerPartnership{Spec: v1alpha1.ResellerPartnershipSpec{RemovalConfirmation: "ticket 42" + bad}}, providerConfig)
		}},
		{"spec.acceptedBy.lastName", "C3", func(bad string) field.ErrorList {
			a := partnerAttestation("2026-03-10")
			a.Spec.AcceptedBy.LastName = "Sou" + bad + "za"
			return MCAAttestationExceptDate(a, providerConfig)
		}},
	} {
		for name, bad := range controlCharacters {
			t.Run(tc.field+" with a "+name, func(t *testing.T) {
				expectOnly(t, tc.errs(bad), tc.field, tc.rule)
			})
		}
		expectNone(t, tc.errs(""))
	}
	// Spaces and letters of any script are text.
	expectNone(t, FreeText(specPath.Child("friendlyName"), "Microsoft 365 E3 – São Paulo 東京", "S1"))
	expectNone(t, Subscription(&v1alpha1.Subscription{}, withRole(config.RoleDirectBill)))
}
