package partnercenter

import (
	"context"
	"net/http"
	"net/url"
)

// SetCostManagementPolicy sets the ARM customer policy viewCharges (ViewChargesAllowed or
// ViewChargesNotAllowed) so the customer can see its Azure charges (rule C11). It is an ARM call
// (MPA billing accounts only) and uses the ARM credential.
func (c *Client) SetCostManagementPolicy(ctx context.Context, requestID, billingAccountName, customerID, viewCharges string) (*CostManagementPolicy, error) {
	var out CostManagementPolicy
	_, err := c.do(ctx, call{
		op: OpSetCostManagementPolicy, method: http.MethodPut, arm: true,
		path:      "/providers/Microsoft.Billing/billingAccounts/" + escape(billingAccountName) + "/customers/" + escape(customerID) + "/policies/default",
		query:     url.Values{"api-version": {CostManagementAPIVersion}},
		requestID: requestID,
		body:      CostManagementPolicy{Properties: CostManagementPolicyProperties{ViewCharges: viewCharges}},
		ok:        []int{http.StatusOK, http.StatusCreated},
	}, &out)
	return valueOrNil(&out, err)
}
