package validation

import (
	"testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

func TestC5BillingAddress(t *testing.T) {
	good := v1alpha1.Address{AddressLine1: "1 Microsoft Way", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"}
	cases := []struct {
		name  string
		edit  func(*v1alpha1.Address)
		field string // "" when the address is accepted
	}{
		{"a complete US address", func(*v1alpha1.Address) {}, ""},
		{"ZIP+4", func(a *v1alpha1.Address) { a.PostalCode = "98052-8300" }, ""},
		{"a Dutch address without state", func(a *v1alpha1.Address) { a.Country, a.State, a.PostalCode = "NL", "", "1012 AB" }, ""},
		{"an unassigned country code", func(a *v1alpha1.Address) { a.Country = "XX" }, "spec.address.country"},
		{"UK is not the ISO code of Great Britain", func(a *v1alpha1.Address) { a.Country = "UK" }, "spec.address.country"},
		{"US needs a state", func(a *v1alpha1.Address) { a.State = "" }, "spec.address.state"},
		{"a blank first line", func(a *v1alpha1.Address) { a.AddressLine1 = "  " }, "spec.address.addressLine1"},
		{"a blank city", func(a *v1alpha1.Address) { a.City = "\t" }, "spec.address.city"},
		{"a US postal code of letters", func(a *v1alpha1.Address) { a.PostalCode = "ABCDE" }, "spec.address.postalCode"},
		{"a Brazilian CEP of the wrong shape", func(a *v1alpha1.Address) { a.Country, a.State, a.PostalCode = "BR", "SP", "1310" }, "spec.address.postalCode"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := good
			tc.edit(&a)
			errs := BillingAddress(specPath.Child("address"), &a)
			if tc.field == "" {
				expectNone(t, errs)
				return
			}
			expectOnly(t, errs, tc.field, "C5")
		})
	}
}

func TestC8SegmentQualification(t *testing.T) {
	for _, tc := range []struct {
		name      string
		spec      v1alpha1.CustomerSpec
		wantField string // "" = accepted
	}{
		{"education without its segment", v1alpha1.CustomerSpec{Segment: v1alpha1.SegmentEducation}, "spec.educationSegment"},
		{"education with its segment", v1alpha1.CustomerSpec{Segment: v1alpha1.SegmentEducation, EducationSegment: "K12"}, ""},
		{"government without the validation code", v1alpha1.CustomerSpec{Segment: v1alpha1.SegmentGovernment}, "spec.governmentValidationCode"},
		{"government with the validation code", v1alpha1.CustomerSpec{Segment: v1alpha1.SegmentGovernment, GovernmentValidationCode: "123456"}, ""},
		{"commercial needs nothing", v1alpha1.CustomerSpec{Segment: v1alpha1.SegmentCommercial}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := SegmentQualification(specPath, &tc.spec)
			if tc.wantField == "" {
				expectNone(t, errs)
				return
			}
			expectOnly(t, errs, tc.wantField, "C8")
		})
	}
}
