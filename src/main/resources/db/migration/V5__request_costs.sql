-- Exact cost per request, attributed to the key's user and project, and today's models priced.
-- Same rule as V1: only types and syntax both H2 (PostgreSQL mode) and PostgreSQL accept.

-- Ten decimal places, as CostCalculator.SCALE keeps them: a few tokens of a cheap model cost
-- less than a micro-dollar, and sums of rounded values drift from the sum of the requests.
ALTER TABLE requests ADD COLUMN user_id UUID;
ALTER TABLE requests ADD COLUMN project VARCHAR(100);
ALTER TABLE requests ADD COLUMN cost_usd DECIMAL(20, 10) NOT NULL DEFAULT 0;
CREATE INDEX idx_requests_user_created ON requests (user_id, created_at);

-- The roll-ups hold sums of the exact request costs, so they need the same scale to add up.
ALTER TABLE daily_usage ALTER COLUMN cost_usd SET DATA TYPE DECIMAL(20, 10);
ALTER TABLE cache_stats ALTER COLUMN saved_usd SET DATA TYPE DECIMAL(20, 10);

-- USD per million tokens. A cache price of 0 means the provider bills those tokens at the
-- input price (OpenAI and DeepSeek do not price cache writes apart), never that they are free:
-- io.tokenrouter.billing.Price reads 0 that way.
INSERT INTO model_pricing (id, model, provider, prompt_price, completion_price, cache_read_price, cache_write_price)
VALUES
  ('6f0c1a52-0000-4000-8000-000000000006', 'gpt-4.1',                    'openai',     2.00,  8.00, 0.50,  0),
  ('6f0c1a52-0000-4000-8000-000000000007', 'gpt-4.1-mini',               'openai',     0.40,  1.60, 0.10,  0),
  ('6f0c1a52-0000-4000-8000-000000000008', 'gpt-4.1-nano',               'openai',     0.10,  0.40, 0.025, 0),
  ('6f0c1a52-0000-4000-8000-000000000009', 'gpt-5',                      'openai',     1.25, 10.00, 0.125, 0),
  ('6f0c1a52-0000-4000-8000-00000000000a', 'gpt-5-mini',                 'openai',     0.25,  2.00, 0.025, 0),
  ('6f0c1a52-0000-4000-8000-00000000000b', 'o3',                         'openai',     2.00,  8.00, 0.50,  0),
  ('6f0c1a52-0000-4000-8000-00000000000c', 'o4-mini',                    'openai',     1.10,  4.40, 0.275, 0),
  ('6f0c1a52-0000-4000-8000-00000000000d', 'deepseek-reasoner',          'deepseek',   0.55,  2.19, 0.14,  0),
  ('6f0c1a52-0000-4000-8000-00000000000e', 'claude-opus-4-1-20250805',   'anthropic', 15.00, 75.00, 1.50, 18.75),
  ('6f0c1a52-0000-4000-8000-00000000000f', 'claude-sonnet-4-5-20250929', 'anthropic',  3.00, 15.00, 0.30,  3.75),
  ('6f0c1a52-0000-4000-8000-000000000010', 'claude-haiku-4-5-20251001',  'anthropic',  1.00,  5.00, 0.10,  1.25),
  ('6f0c1a52-0000-4000-8000-000000000011', 'claude-3-5-haiku-20241022',  'anthropic',  0.80,  4.00, 0.08,  1.00);
