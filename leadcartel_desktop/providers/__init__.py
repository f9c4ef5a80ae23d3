"""The outside world: Twilio, the Lead Cartel cloud, SMTP, the OS keychain, connectivity.

Outbox payloads, per channel (the services build them; every value JSON-able):
- SMS, WhatsApp: body. Through the cloud also cloud_contact_id, or contact {first_name,
  last_name, company} to upsert the recipient as a contact first.
- Email: subject, body (plain text), optional html, to_name, reply_to, and attachments as
  [{filename, content_type, data_base64}] (the PDF travels in the row; see email_message).
"""
