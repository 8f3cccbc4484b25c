output "vpn_gateway_id" {
  description = "ID of the virtual private gateway."
  value       = aws_vpn_gateway.this.id
}

output "site_tunnels" {
  description = "Per site: the two AWS tunnel endpoints to configure on the site's router."
  value = {
    for code, c in aws_vpn_connection.site : code => {
      tunnel1_address = c.tunnel1_address
      tunnel2_address = c.tunnel2_address
    }
  }
}

output "customer_gateway_ids" {
  description = "Customer gateway per site."
  value       = { for code, g in aws_customer_gateway.site : code => g.id }
}
