package pcsim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

func (s *Simulator) checkDomain(c *call) reply {
	if s.takenDomains[strings.ToLower(c.r.PathValue("domain"))] {
		return emptyReply(http.StatusOK)
	}
	return emptyReply(http.StatusNotFound)
}

// Address validation verdicts. Choice: addressLine1 containing "UNKNOWN" → None (no
// suggestions); postal code "00000" → StreetPartial with one corrected suggestion; any missing
// required field → None with a validationMessage; everything else → VerifiedShippable.
const (
	unknownAddressMarker = "UNKNOWN"
	partialPostalCode    = "00000"
	suggestedPostalCode  = "00001"
)

func (s *Simulator) validateAddress(c *call) reply {
	var a pc.Address
	if rep, ok := decode(c, &a); !ok {
		return rep
	}
	resp := pc.AddressValidationResponse{OriginalAddress: a}
	missing := missingAddressFields(a)
	switch {
	case s.forcedAddressVerdict != "":
		resp.Status, resp.SuggestedAddresses = s.forcedAddressVerdict, suggestionsFor(s.forcedAddressVerdict, a)
	case len(missing) > 0:
		resp.Status = pc.AddressStatusNone
		resp.ValidationMessage = "Address field invalid for property: '" + strings.Join(missing, "', '") + "'"
	case strings.Contains(strings.ToUpper(a.AddressLine1), unknownAddressMarker):
		resp.Status = pc.AddressStatusNone
	case a.PostalCode == partialPostalCode:
		suggestion := a
		suggestion.PostalCode = suggestedPostalCode
		resp.Status, resp.SuggestedAddresses = pc.AddressStatusStreetPartial, []pc.Address{suggestion}
	default:
		resp.Status, resp.SuggestedAddresses = pc.AddressStatusVerifiedShippable, []pc.Address{a}
	}
	return jsonReply(http.StatusOK, resp)
}

// suggestionsFor is the suggestion list of a forced verdict: none for None and NotValidated
// (the API documents zero suggestions for them), otherwise the original address as the single
// suggestion.
func suggestionsFor(status string, a pc.Address) []pc.Address {
	if status == pc.AddressStatusNone || status == pc.AddressStatusNotValidated {
		return nil
	}
	return []pc.Address{a}
}

// missingAddressFields names the required address fields that are empty.
func missingAddressFields(a pc.Address) []string {
	var missing []string
	for name, v := range map[string]string{"AddressLine1": a.AddressLine1, "City": a.City, "PostalCode": a.PostalCode, "Country": a.Country} {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}

func (s *Simulator) createCustomer(c *call) reply {
	var req pc.CustomerCreateRequest
	if rep, ok := decode(c, &req); !ok {
		return rep
	}
	if rep, ok := s.validateNewCustomer(req); !ok {
		return rep
	}
	st := s.addCustomer(req, c)
	created := st.customer
	created.UserCredentials = &pc.UserCredentials{UserName: "admin", Password: s.newPassword()}
	return jsonReply(http.StatusCreated, created)
}

// validateNewCustomer applies the create-customer rules: domain present and free, the
// 24-country registration number and phone rule, and an Active reseller as associatedPartnerId.
func (s *Simulator) validateNewCustomer(req pc.CustomerCreateRequest) (reply, bool) {
	domain := strings.ToLower(req.CompanyProfile.Domain)
	switch {
	case domain == "":
		return legacyError(http.StatusBadRequest, pc.CodeMissingParameter, "companyProfile.domain is required."), false
	case s.takenDomains[domain]:
		// Choice: undocumented; 400 code 2000.
		return invalidInput("The domain " + domain + " is already in use."), false
	case req.BillingProfile.DefaultAddress == nil || req.BillingProfile.Email == "" || req.BillingProfile.CompanyName == "":
		return legacyError(http.StatusBadRequest, pc.CodeMissingParameter, "billingProfile.email, companyName and defaultAddress are required."), false
	}
	if rep, ok := checkCountryRule(req); !ok {
		return rep, false
	}
	if req.AssociatedPartnerID != "" && s.activeResellerByTenant(req.AssociatedPartnerID) == nil {
		// Choice: undocumented code; 400 code 2000.
		return invalidInput("associatedPartnerId " + req.AssociatedPartnerID + " is not an indirect reseller with an active relationship."), false
	}
	return reply{}, true
}

// checkCountryRule requires organizationRegistrationNumber (600049, format 600050) and
// defaultAddress.phoneNumber (600051) for the 24 listed countries.
func checkCountryRule(req pc.CustomerCreateRequest) (reply, bool) {
	addr := req.BillingProfile.DefaultAddress
	if !slices.Contains(pc.RegistrationNumberCountries, strings.ToUpper(addr.Country)) {
		return reply{}, true
	}
	regNo := strings.TrimSpace(req.CompanyProfile.OrganizationRegistrationNumber)
	switch {
	case regNo == "":
		return legacyError(http.StatusBadRequest, pc.CodeRegistrationIDMissing, "Organization registration ID information is missing"), false
	case !pc.RegistrationIDFormat.MatchString(regNo):
		return legacyError(http.StatusBadRequest, pc.CodeRegistrationIDInvalid, "Organization registration ID information is invalid and should be of the format "+pc.RegistrationIDFormat.String()), false
	case strings.TrimSpace(addr.PhoneNumber) == "":
		return legacyError(http.StatusBadRequest, pc.CodePhoneNumberMissing, "Customer phone number is missing"), false
	}
	return reply{}, true
}

// addCustomer stores a new customer and starts its verification. Callers hold s.mu.
func (s *Simulator) addCustomer(req pc.CustomerCreateRequest, c *call) *customerState {
	id := s.newID()
	domain := strings.ToLower(req.CompanyProfile.Domain)
	billing := req.BillingProfile
	billing.ID = s.newID()
	billing.Links = nil
	billing.Attributes = pc.Attributes{ObjectType: pc.ObjectTypeBillingProfile, Etag: s.newEtag()}
	noDAP := false
	st := &customerState{
		createdAt:   c.now,
		defaultGDAP: req.EnableGDAPByDefault == nil || *req.EnableGDAPByDefault,
		customer: pc.Customer{
			ID: id, CommerceID: s.newID(),
			CompanyProfile: &pc.CompanyProfile{
				TenantID: id, Domain: domain, CompanyName: billing.CompanyName, Email: billing.Email,
				OrganizationRegistrationNumber: req.CompanyProfile.OrganizationRegistrationNumber,
				Attributes:                     pc.Attributes{ObjectType: pc.ObjectTypeCompanyProfile},
			},
			BillingProfile: &billing,
			// Choice: "reseller" for direct and indirect customers alike (GET samples).
			RelationshipToPartner: pc.RelationshipReseller,
			AllowDelegatedAccess:  &noDAP, // no DAP since November 2023
			AssociatedPartnerID:   req.AssociatedPartnerID,
			Links:                 pc.Links{"self": {URI: "/customers/" + id, Method: http.MethodGet, Headers: []pc.LinkHeader{}}},
			Attributes:            pc.Attributes{ObjectType: pc.ObjectTypeCustomer},
		},
	}
	st.setValidation(pc.AccountStatusUnderReview, c.now)
	st.settle(s.cfg, c.now)
	s.track(st)
	s.customers[id] = st
	s.customerOrder = append(s.customerOrder, id)
	s.takenDomains[domain] = true
	return st
}

// newPassword returns a temporary admin password with punctuation, like the API's. Callers hold s.mu.
func (s *Simulator) newPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789=;.!"
	b := make([]byte, 12)
	for i := range b {
		b[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// visibleCustomer returns the customer named in the path, or a 404.
func (s *Simulator) visibleCustomer(c *call) (*customerState, reply, bool) {
	id := c.r.PathValue("id")
	st := s.customers[id]
	if st == nil || !st.visible() {
		return nil, notFound("Customer", id), false
	}
	return st, reply{}, true
}

// customerAndBody is visibleCustomer and the request body decoded into a
// T: the preamble of every handler that changes something of a customer.
func customerAndBody[T any](s *Simulator, c *call) (*customerState, T, reply, bool) {
	var body T
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return nil, body, rep, false
	}
	if rep, ok := decode(c, &body); !ok {
		return nil, body, rep, false
	}
	return st, body, reply{}, true
}

func (s *Simulator) getCustomer(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	return jsonReply(http.StatusOK, st.customer)
}

func (s *Simulator) deleteCustomer(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	delete(s.customers, st.customer.ID)
	s.customerOrder = slices.DeleteFunc(s.customerOrder, func(id string) bool { return id == st.customer.ID })
	if st.customer.CompanyProfile != nil {
		delete(s.takenDomains, st.customer.CompanyProfile.Domain)
	}
	return emptyReply(http.StatusNoContent)
}

// removeCustomerRelationship is PATCH /v1/customers/{id} with relationshipToPartner "none" (5.6):
// the provider ends its relationship with the customer. Choice: the customer stays readable
// with relationshipToPartner "none" (the sample echoes the customer); any other value → 400 2000.
func (s *Simulator) removeCustomerRelationship(c *call) reply {
	st, patch, rep, ok := customerAndBody[pc.Customer](s, c)
	if !ok {
		return rep
	}
	if patch.RelationshipToPartner != pc.RelationshipNone {
		return invalidInput(`Only relationshipToPartner "none" can be patched on a customer.`)
	}
	st.customer.RelationshipToPartner = pc.RelationshipNone
	return jsonReply(http.StatusOK, st.customer)
}

// listCustomers pages the visible customers in creation order. The continuation token is the
// offset of the next page (opaque to clients). size <= 0 returns everything.
func (s *Simulator) listCustomers(c *call) reply {
	filter, hasFilter := parseFilter(c.r)
	var items []pc.Customer
	for _, id := range s.customerOrder {
		st := s.customers[id]
		if st.visible() && (!hasFilter || matchesFilter(st.customer, filter)) {
			items = append(items, st.customer)
		}
	}
	offset := 0
	if strings.EqualFold(c.r.URL.Query().Get("seekOperation"), "Next") {
		offset, _ = strconv.Atoi(c.r.Header.Get(pc.HeaderContinuationToken))
	}
	offset = min(max(offset, 0), len(items))
	page := pc.Collection[pc.Customer]{Items: items[offset:], Attributes: pc.Attributes{ObjectType: pc.ObjectTypeCollection}}
	if size, _ := strconv.Atoi(c.r.URL.Query().Get("size")); size > 0 && offset+size < len(items) {
		page.Items = items[offset : offset+size]
		page.ContinuationToken = strconv.Itoa(offset + size)
		page.Links = pc.Links{"next": {URI: "/customers?size=" + strconv.Itoa(size) + "&seekOperation=Next", Method: http.MethodGet,
			Headers: []pc.LinkHeader{{Key: pc.HeaderContinuationToken, Value: page.ContinuationToken}}}}
	}
	if page.Items == nil {
		page.Items = []pc.Customer{}
	}
	page.TotalCount = len(page.Items)
	return jsonReply(http.StatusOK, page)
}

// matchesFilter applies a starts_with customer filter (case-insensitive field names and values).
func matchesFilter(cu pc.Customer, f pc.Filter) bool {
	var field string
	switch strings.ToLower(f.Field) {
	case strings.ToLower(pc.FilterFieldCompanyName):
		field = cu.CompanyProfile.CompanyName
	case strings.ToLower(pc.FilterFieldDomain):
		field = cu.CompanyProfile.Domain
	case strings.ToLower(pc.FilterFieldIndirectReseller):
		field = cu.AssociatedPartnerID
		if field == "" {
			return false
		}
	default:
		return false
	}
	return strings.HasPrefix(strings.ToLower(field), strings.ToLower(f.Value))
}

func (s *Simulator) getBillingProfile(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	return jsonReply(http.StatusOK, st.customer.BillingProfile)
}

// updateBillingProfile replaces the billing profile under etag control (mismatch → 412, a
// Choice) and sends the customer back to UnderReview when a verified field changed.
func (s *Simulator) updateBillingProfile(c *call) reply {
	st, next, rep, ok := customerAndBody[pc.BillingProfile](s, c)
	if !ok {
		return rep
	}
	current := st.customer.BillingProfile
	if requestEtag(c.r, next.Attributes.Etag) != current.Attributes.Etag {
		return legacyError(http.StatusPreconditionFailed, "412", "The etag does not match the current billing profile.")
	}
	return jsonReply(http.StatusOK, s.replaceBillingProfile(st, next, c.now))
}

// replaceBillingProfile stores next as the customer's billing profile with a new etag and
// sends the customer back to UnderReview when a verified field changed. Callers hold s.mu.
func (s *Simulator) replaceBillingProfile(st *customerState, next pc.BillingProfile, now time.Time) pc.BillingProfile {
	current := st.customer.BillingProfile
	retrigger := verifiedFieldsChanged(*current, next)
	next.ID, next.Links = current.ID, nil
	next.Attributes = pc.Attributes{ObjectType: pc.ObjectTypeBillingProfile, Etag: s.newEtag()}
	st.customer.BillingProfile = &next
	st.customer.CompanyProfile.CompanyName, st.customer.CompanyProfile.Email = next.CompanyName, next.Email
	if retrigger && st.validation != "" {
		st.setValidation(pc.AccountStatusUnderReview, now)
		st.settle(s.cfg, now)
		s.track(st)
	}
	return next
}

// verifiedFieldsChanged reports a change to a field Microsoft re-verifies: company name,
// e-mail, or the address (including its phone number; contact names do not count).
// The registration number lives on the company profile, which has no PUT.
func verifiedFieldsChanged(old, next pc.BillingProfile) bool {
	return !strings.EqualFold(old.CompanyName, next.CompanyName) || !strings.EqualFold(old.Email, next.Email) ||
		postalPart(old.DefaultAddress) != postalPart(next.DefaultAddress)
}

// postalPart is the address without the contact names.
func postalPart(a *pc.Address) pc.Address {
	if a == nil {
		return pc.Address{}
	}
	p := *a
	p.FirstName, p.MiddleName, p.LastName = "", "", ""
	return p
}
