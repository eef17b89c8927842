package customer_test

import (
	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// badCustomer is a Customer that admission must refuse: what to break, and
// the field and rule the refusal must name.
type badCustomer struct {
	name  string
	edit  func(*v1alpha1.Customer)
	field string
	rule  string
}

func companyName(n string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.CompanyName = n }
}

func firstName(n string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.PrimaryContact.FirstName = n }
}

func lastName(n string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.PrimaryContact.LastName = n }
}

func email(e string) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { c.Spec.Email = e }
}

func address(edit func(*v1alpha1.Address)) func(*v1alpha1.Customer) {
	return func(c *v1alpha1.Customer) { edit(c.Spec.Address) }
}

// badCustomers are refused by the webhook (C2, C3, C4, C5, C8) or by the
// CRD's CEL rule (C6) of an IndirectProvider operator with partner domain
// partner.example.
var badCustomers = []badCustomer{
	{"company name of special characters only", companyName("!!"), "spec.companyName", "C2"},
	{"company name of spaces only", companyName("   "), "spec.companyName", "C2"},
	{"company name of spaces and tabs", companyName(" \t \t"), "spec.companyName", "C2"},
	{"company name of single characters", companyName("1 2 3"), "spec.companyName", "C2"},
	{"company name LLC", companyName("LLC"), "spec.companyName", "C2"},
	{"company name Inc.", companyName("Inc."), "spec.companyName", "C2"},
	{"company name GmbH", companyName("GmbH"), "spec.companyName", "C2"},
	{"company name 999", companyName("999"), "spec.companyName", "C2"},
	{"company name test", companyName("test"), "spec.companyName", "C2"},
	{"company name Test Company", companyName("Test Company"), "spec.companyName", "C2"},
	{"company name asdf", companyName("asdf"), "spec.companyName", "C2"},
	{"company name Test LLC", companyName("Test LLC"), "spec.companyName", "C2"},
	{"single-letter first name", firstName("J"), "spec.primaryContact.firstName", "C3"},
	{"placeholder first name test", firstName("test"), "spec.primaryContact.firstName", "C3"},
	{"placeholder last name Admin", lastName("Admin"), "spec.primaryContact.lastName", "C3"},
	{"placeholder first name nobody", firstName("nobody"), "spec.primaryContact.firstName", "C3"},
	{"placeholder last name n/a", lastName("n/a"), "spec.primaryContact.lastName", "C3"},
	{"digits-only first name", firstName("12345"), "spec.primaryContact.firstName", "C3"},
	{"punctuation-only last name", lastName("..."), "spec.primaryContact.lastName", "C3"},
	{"emoji-only first name", firstName("😀😀"), "spec.primaryContact.firstName", "C3"},
	{"e-mail in microsoft.com", email("billing@microsoft.com"), "spec.email", "C4"},
	{"e-mail in a microsoft.com subdomain", email("billing@europe.microsoft.com"), "spec.email", "C4"},
	{"e-mail in the partner's domain", email("sales@partner.example"), "spec.email", "C4"},
	{"e-mail with a double dot", email("billing@contoso..example"), "spec.email", "C4"},
	{"e-mail with an underscore in the domain", email("billing@con_toso.example"), "spec.email", "C4"},
	{"contact e-mail in microsoft.com", func(c *v1alpha1.Customer) { c.Spec.PrimaryContact.Email = "ana@microsoft.com" }, "spec.primaryContact.email", "C4"},
	{"country XX", address(func(a *v1alpha1.Address) { a.Country = "XX" }), "spec.address.country", "C5"},
	{"country UK", address(func(a *v1alpha1.Address) { a.Country = "UK" }), "spec.address.country", "C5"},
	{"country EU", address(func(a *v1alpha1.Address) { a.Country = "EU" }), "spec.address.country", "C5"},
	{"US address without state", address(func(a *v1alpha1.Address) { a.State = "" }), "spec.address.state", "C5"},
	{"US ZIP of letters", address(func(a *v1alpha1.Address) { a.PostalCode = "ABCDE" }), "spec.address.postalCode", "C5"},
	{"blank address line", address(func(a *v1alpha1.Address) { a.AddressLine1 = "   " }), "spec.address.addressLine1", "C5"},
	{"blank city", address(func(a *v1alpha1.Address) { a.City = "  " }), "spec.address.city", "C5"},
	{"Canadian postal code of the wrong shape", address(func(a *v1alpha1.Address) { a.Country, a.State, a.PostalCode = "CA", "BC", "12345" }), "spec.address.postalCode", "C5"},
	{"Brazilian customer without registration ID", func(c *v1alpha1.Customer) {
		c.Spec.Address.Country, c.Spec.Address.State, c.Spec.Address.PostalCode = "BR", "SP", "01310-100"
	}, "spec.companyRegistrationID", "C6"},
	{"Education segment without educationSegment", func(c *v1alpha1.Customer) { c.Spec.Segment = v1alpha1.SegmentEducation }, "spec.educationSegment", "C8"},
	{"Government segment without its validation code", func(c *v1alpha1.Customer) { c.Spec.Segment = v1alpha1.SegmentGovernment }, "spec.governmentValidationCode", "C8"},
}
