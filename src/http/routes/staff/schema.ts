// Request bodies of staff sign-in (the form and the JSON API) and of a password change.
import { z } from 'zod';

export const credentialsSchema = z.object({
  email: z.string().trim().email('Enter an email address'),
  password: z.string().min(1, 'Required').max(200),
});

export const passwordChangeSchema = z.object({
  current_password: z.string().min(1, 'Required').max(200),
  new_password: z.string().min(12, 'At least 12 characters').max(200),
});
