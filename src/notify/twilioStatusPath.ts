// Where Twilio posts a message's delivery status: the route serves it and the SMS channel names it in each send.
// A module of its own, so that the route does not load the twilio library with the channel.
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';
