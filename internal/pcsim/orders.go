package pcsim

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// createOrder places an order: line items valid (800002), customer not blocked (403
// 800073/800075), an MCA attested or signed (403 13605), partners of record Active resellers,
// no identical order still pending (409 800060). It answers 201 pending with a subscription
// per line item; the order completes after OrderCompletionDelay.
func (s *Simulator) createOrder(c *call) reply {
	st, o, rep, ok := customerAndBody[pc.Order](s, c)
	if !ok {
		return rep
	}
	for _, check := range []func() (reply, bool){
		func() (reply, bool) { return checkLineItems(o.LineItems) },
		func() (reply, bool) { return customerGate(st) },
		func() (reply, bool) { return mcaGate(st) },
		func() (reply, bool) { return s.checkPartnersOfRecord(o.LineItems) },
		func() (reply, bool) { return s.checkNoOrderInProgress(st.customer.ID, o.LineItems) },
	} {
		if rep, ok := check(); !ok {
			return rep
		}
	}
	return jsonReply(http.StatusCreated, s.addOrder(st, o, c).order)
}

// checkLineItems requires numbered (0..n-1) line items with an offer and a positive quantity.
func checkLineItems(items []pc.OrderLineItem) (reply, bool) {
	if len(items) == 0 {
		return legacyError(http.StatusBadRequest, pc.CodeOrderInvalidInput, "An order needs at least one line item."), false
	}
	for i, li := range items {
		if li.LineItemNumber != i || li.OfferID == "" || li.Quantity <= 0 {
			return legacyError(http.StatusBadRequest, pc.CodeOrderInvalidInput, "Line item "+strconv.Itoa(i)+" needs lineItemNumber "+strconv.Itoa(i)+", an offerId and a positive quantity."), false
		}
	}
	return reply{}, true
}

// customerGate is 403 800073 (under review) / 800075 (not approved) while the customer is blocked.
func customerGate(st *customerState) (reply, bool) {
	switch st.blockCode() {
	case "":
		return reply{}, true
	case pc.CodeCustomerNotApproved:
		return legacyError(http.StatusForbidden, pc.CodeCustomerNotApproved, "Your Customer account was not approved. Transactions for this customer are not allowed. Verify the customer account information."), false
	default:
		return legacyError(http.StatusForbidden, pc.CodeCustomerUnderReview, "Your customer account is currently under review. Check back in few days."), false
	}
}

// mcaGate is 403 13605 without a partner attestation or a direct signature.
func mcaGate(st *customerState) (reply, bool) {
	if st.hasMCA() {
		return reply{}, true
	}
	return legacyError(http.StatusForbidden, pc.CodeAgreementMissing, "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase"), false
}

// checkPartnersOfRecord requires each partnerIdOnRecord to be an Active reseller's MPN id.
// Choice: non-numeric → 404 800015; registered with an unsigned MPA → 403 900123; any other
// reseller without an Active partnership → 400 800016.
func (s *Simulator) checkPartnersOfRecord(items []pc.OrderLineItem) (reply, bool) {
	for _, li := range items {
		mpn := li.PartnerIDOnRecord
		switch {
		case mpn == "" || s.activeResellerByMPN(mpn) != nil:
			continue
		case !numericMPN.MatchString(mpn):
			return legacyError(http.StatusNotFound, pc.CodeMPNNotFound, "MPN ID "+mpn+" was not found."), false
		case s.resellers[mpn] != nil && s.resellers[mpn].MPAUnsigned:
			return legacyError(http.StatusForbidden, pc.CodeResellerMPANotAccepted, "Microsoft Partner Agreement has not been accepted by the indirect reseller"), false
		default:
			return legacyError(http.StatusBadRequest, pc.CodeMPNNotValidIndirectReseller, "MPN ID "+mpn+" is not a valid Indirect Reseller"), false
		}
	}
	return reply{}, true
}

// checkNoOrderInProgress is 409 800060 when a pending order of the customer has the same offers.
// Choice: "in progress" means pending with the same multiset of offer ids.
func (s *Simulator) checkNoOrderInProgress(customerID string, items []pc.OrderLineItem) (reply, bool) {
	if _, pending := s.pendingOrders[inProgressKey(customerID, items)]; pending {
		return legacyError(http.StatusConflict, pc.CodeOrderInProgress, "Your order is in progress. Check your order history for recent orders in few minutes"), false
	}
	return reply{}, true
}

// inProgressKey is the customer id and the sorted offer ids of line items.
func inProgressKey(customerID string, items []pc.OrderLineItem) string {
	offers := make([]string, len(items))
	for i, li := range items {
		offers[i] = li.OfferID
	}
	slices.Sort(offers)
	return customerID + "|" + strings.Join(offers, ",")
}

// addOrder stores the order and its subscriptions. Callers hold s.mu.
func (s *Simulator) addOrder(st *customerState, o pc.Order, c *call) *orderState {
	id := strings.ReplaceAll(s.newID(), "-", "")[:12]
	o.ID, o.AlternateID, o.ReferenceCustomerID = id, id, st.customer.ID
	o.CreationDate, o.Status, o.TransactionType = pc.FormatTime(c.now), pc.OrderStatusPending, "UserPurchase"
	o.CurrencyCode, o.CurrencySymbol = "USD", "$"
	if o.BillingCycle == "" {
		o.BillingCycle = pc.BillingCycleMonthly
	}
	base := "/customers/" + st.customer.ID + "/orders/" + id
	o.Links = pc.Links{
		"self":               {URI: base, Method: http.MethodGet, Headers: []pc.LinkHeader{}},
		"provisioningStatus": {URI: base + "/provisioningstatus", Method: http.MethodGet, Headers: []pc.LinkHeader{}},
	}
	o.Attributes = pc.Attributes{ObjectType: pc.ObjectTypeOrder}
	o.LineItems = slices.Clone(o.LineItems)
	for i := range o.LineItems {
		o.LineItems[i].TransactionType = "New"
		o.LineItems[i].SubscriptionID = s.addSubscription(st.customer.ID, o, o.LineItems[i], c.now).sub.ID
	}
	os := &orderState{order: o, customerID: st.customer.ID, createdAt: c.now}
	s.orders[id] = os
	s.orderSeq = append(s.orderSeq, id)
	s.pendingOrders[inProgressKey(st.customer.ID, o.LineItems)] = id
	s.settleOrder(os, c.now)
	s.track(os)
	for _, li := range o.LineItems {
		s.track(s.subscriptions[li.SubscriptionID])
	}
	return os
}

// addSubscription creates the pending subscription of one line item. Callers hold s.mu.
func (s *Simulator) addSubscription(customerID string, o pc.Order, li pc.OrderLineItem, now time.Time) *subscriptionState {
	term := li.TermDuration
	if term == "" {
		term = pc.TermP1M
	}
	end, cancelUntil := addTerm(now, term), now.Add(cancellationWindow)
	id := s.newID()
	sub := &subscriptionState{
		customerID: customerID, commitmentEnd: end, cancelUntil: cancelUntil,
		sub: pc.Subscription{
			ID: id, EntitlementID: s.newID(), OfferID: li.OfferID, OfferName: li.OfferID, FriendlyName: li.FriendlyName,
			Quantity: li.Quantity, UnitType: pc.UnitTypeLicenses,
			CreationDate: pc.FormatTime(now), EffectiveStartDate: pc.FormatTime(now),
			CommitmentEndDate: pc.FormatTime(end), CancellationAllowedUntilDate: pc.FormatTime(cancelUntil),
			BillingCycleEndDate: pc.FormatTime(now.AddDate(0, 1, 0)),
			Status:              pc.SubscriptionStatusPending, AutoRenewEnabled: true,
			BillingType: pc.BillingTypeLicense, BillingCycle: o.BillingCycle, TermDuration: term, RenewalTermDuration: term,
			PartnerID: li.PartnerIDOnRecord, ContractType: pc.ContractTypeSubscription, OrderID: o.ID,
			Links:      pc.Links{"self": {URI: "/customers/" + customerID + "/subscriptions/" + id, Method: http.MethodGet, Headers: []pc.LinkHeader{}}},
			Attributes: pc.Attributes{ObjectType: pc.ObjectTypeSubscription, Etag: s.newEtag()},
		},
	}
	s.subscriptions[id] = sub
	s.subSeq = append(s.subSeq, id)
	return sub
}

func (s *Simulator) getOrder(c *call) reply {
	st, rep, ok := s.visibleCustomer(c)
	if !ok {
		return rep
	}
	o := s.orders[c.r.PathValue("orderId")]
	if o == nil || o.customerID != st.customer.ID {
		return notFound("Order", c.r.PathValue("orderId"))
	}
	return jsonReply(http.StatusOK, o.order)
}
