# Site-to-site VPN: one virtual private gateway on the VPC, one customer gateway and one VPN
# connection (two IPsec tunnels) per edge site, static routes to each site's LAN propagated into
# the private route tables. Sites also reach the cloud over the internet with mTLS; the VPN is for
# sites whose operators want their traffic and remote support off the internet.

resource "aws_vpn_gateway" "this" {
  vpc_id          = var.vpc_id
  amazon_side_asn = var.amazon_side_asn
  tags            = merge(var.tags, { Name = "${var.name}-vgw" })
}

resource "aws_vpn_gateway_route_propagation" "private" {
  count          = length(var.route_table_ids)
  vpn_gateway_id = aws_vpn_gateway.this.id
  route_table_id = var.route_table_ids[count.index]
}

resource "aws_customer_gateway" "site" {
  for_each   = var.sites
  bgp_asn    = each.value.bgp_asn
  ip_address = each.value.public_ip
  type       = "ipsec.1"
  tags       = merge(var.tags, { Name = "${var.name}-${each.key}", Site = each.key })
}

resource "aws_vpn_connection" "site" {
  for_each                 = var.sites
  vpn_gateway_id           = aws_vpn_gateway.this.id
  customer_gateway_id      = aws_customer_gateway.site[each.key].id
  type                     = "ipsec.1"
  static_routes_only       = true
  tunnel1_ike_versions     = ["ikev2"]
  tunnel2_ike_versions     = ["ikev2"]
  tunnel1_phase1_encryption_algorithms = ["AES256-GCM-16"]
  tunnel2_phase1_encryption_algorithms = ["AES256-GCM-16"]
  tags                     = merge(var.tags, { Name = "${var.name}-${each.key}", Site = each.key })
}

resource "aws_vpn_connection_route" "site" {
  for_each               = var.sites
  vpn_connection_id      = aws_vpn_connection.site[each.key].id
  destination_cidr_block = each.value.lan_cidr
}
